"""Time-to-quality on the platform's own data (issue 25 item 3): training wall time, saving excluded, from the first
step to a target validation loss. Both contenders train LoRA (r 8, alpha 16, q,k,v,o, no dropout; AdamW lr 1e-3,
no weight decay, cosine after 10 warmup steps, clipping at 1.0, batch 16, one epoch, one seed for both) on the same
random TinyLlama-1.1B-shaped checkpoint and the same generated transactions, and save the adapter every 50 steps and
after the last. One evaluator measures every snapshot of both: the checkpoint loaded once in fp32, each adapter alone
on it, the token mean of the cross-entropy over the labelled next-token targets of EvalSetDump's file (as peft-core's
Evaluator). At losses of 1e-5 the evaluator's precision decides the ranking, so neither contender's own (bf16 or fp16)
evaluation is used.

  hf CONFIG BASE TRAIN_TOKENS SNAPSHOTS [max_steps [seed]]   HF Trainer + PEFT; saves SNAPSHOTS/step-S, prints
                                                      "SNAPSHOT step S train_s T"; seed (42) draws the LoRA
                                                      init (set before the model is built, as peft-core's
                                                      --seed does) and the sampler's order
      CONFIG group-by-length: batches of similar length padded to their longest (bf16 + SDPA, fused AdamW)
             flatten: padding-free, DataCollatorWithFlattening (bf16, SDPA's packed-sequence mask or flash_attention_2)
             either with -compile: the model through torch.compile (TrainingArguments' torch_compile=True)
  hf-eval LOG SNAPSHOTS BASE EVAL_TOKENS     "EVAL step S train_s T loss L" per snapshot, T from `hf`'s LOG, L to 5
                                             significant digits (0.000013 had 2 where the target is decided)
  core-eval LOG SNAPSHOTS BASE EVAL_TOKENS   the same for a peft-core TrainCommand run (--snapshot-every) whose log
                                             lines carry a time stamp (ts below); also its own eval and result lines
  ts            stamps stdin's lines with the wall clock (peft-core's log has none)
  summary LOG   the target (round 1's loss after one epoch of HF's configuration that ran every round, the faster of
                round 1), every run's time to it, medians, ratios of each HF configuration to each peft-core one
                (peft-core: length buckets, peft-core-random: no buckets); each round's seed from its header line;
                every label's loss after the same updates (every 250 and the last), median and each round
"""
import json, re, statistics, sys, time
from pathlib import Path

EVERY = 50


def hf(config, base, train_file, snapshots, max_steps=-1, seed=42):
    import torch
    import transformers, peft
    from transformers import (AutoModelForCausalLM, DataCollatorWithFlattening, Trainer, TrainerCallback,
                              TrainingArguments, set_seed)
    from peft import LoraConfig, get_peft_model

    # Trainer seeds only when it is built, after get_peft_model has drawn LoRA's A: without this the init came from
    # torch's default generator whatever the seed
    set_seed(seed)
    name, compiled = config, config.endswith("-compile")
    config = config.removesuffix("-compile")
    train = [{"input_ids": r["ids"], "labels": r["labels"]} for r in map(json.loads, open(train_file))]
    attn = "flash_attention_2" if config == "flatten" and _has("flash_attn") else "sdpa"
    model = AutoModelForCausalLM.from_pretrained(base, dtype=torch.bfloat16, attn_implementation=attn,
                                                 device_map="cuda")
    model = get_peft_model(model, LoraConfig(r=8, lora_alpha=16, lora_dropout=0.0, task_type="CAUSAL_LM",
                                             target_modules=["q_proj", "k_proj", "v_proj", "o_proj"]))

    class Clock(TrainerCallback):
        def __init__(self):
            self.t0, self.saving = None, 0.0

        def on_train_begin(self, args, state, control, **kw):
            torch.cuda.synchronize()
            self.t0 = time.perf_counter()

        def on_step_end(self, args, state, control, **kw):
            if state.global_step % EVERY and state.global_step != state.max_steps:
                return
            torch.cuda.synchronize()
            t = time.perf_counter()
            # the adapter's fp32 weights, as HF Trainer's save_steps writes them (no embedding layers: none trained)
            model.save_pretrained(f"{snapshots}/step-{state.global_step}", save_embedding_layers=False)
            print(f"SNAPSHOT step {state.global_step} train_s {t - self.t0 - self.saving:.3f}", flush=True)
            self.saving += time.perf_counter() - t

    args = TrainingArguments(output_dir="/tmp/hf-ttq", per_device_train_batch_size=16, num_train_epochs=1,
                             max_steps=max_steps, learning_rate=1e-3, weight_decay=0.0, lr_scheduler_type="cosine",
                             warmup_steps=10, max_grad_norm=1.0, optim="adamw_torch_fused", bf16=True, seed=seed,
                             logging_steps=EVERY, save_strategy="no", report_to=[], disable_tqdm=True,
                             dataloader_pin_memory=True, remove_unused_columns=False, torch_compile=compiled,
                             **_length_grouping(config))
    collator = DataCollatorWithFlattening(return_position_ids=True) if config == "flatten" else _padded
    trainer = Trainer(model=model, args=args, train_dataset=train, data_collator=collator, callbacks=[Clock()])
    if config == "flatten":  # the packed batch must give the padded batch's loss, else the mask leaks across rows
        b = train[:16]
        with torch.no_grad(), torch.autocast("cuda", dtype=torch.bfloat16):
            packed = model(**{k: v.cuda() for k, v in collator(b).items()}).loss.item()
            pad = model(**{k: v.cuda() for k, v in _padded(b).items()}).loss.item()
        print(f"packed-sequence check ({attn}): loss packed {packed:.6f}, padded {pad:.6f}", flush=True)
    t = time.perf_counter()
    out = trainer.train()
    tokens = sum(len(r["input_ids"]) for r in train) * (1 if max_steps < 0 else max_steps * 16 / len(train))
    print(f"RESULT hf-peft {name} ({attn}): transformers {transformers.__version__} peft {peft.__version__}"
          f" torch {torch.__version__}; seed {seed}; {out.global_step} steps in {time.perf_counter() - t:.1f} s with"
          f" snapshots; ~{tokens:.0f} tokens", flush=True)


def _padded(batch):
    """Right-padded ids, labels (-100 on padding) and attention mask of rows with input_ids and labels."""
    import torch
    n = max(len(r["input_ids"]) for r in batch)
    ids = torch.zeros((len(batch), n), dtype=torch.long)
    labels = torch.full((len(batch), n), -100, dtype=torch.long)
    mask = torch.zeros((len(batch), n), dtype=torch.long)
    for i, r in enumerate(batch):
        k = len(r["input_ids"])
        ids[i, :k], labels[i, :k], mask[i, :k] = torch.tensor(r["input_ids"]), torch.tensor(r["labels"]), 1
    return {"input_ids": ids, "labels": labels, "attention_mask": mask}


def evaluate_snapshots(times, snapshots, base, eval_file):
    """Prints "EVAL step S train_s T loss L" for every SNAPSHOTS/step-S, T from `times`. The base checkpoint is loaded
    once in fp32 (its fp16 values exactly; eager attention, no TF32); each snapshot is loaded on it as the only
    adapter (the previous one deleted) and checked equal to its file before it is measured."""
    import torch
    from peft import PeftModel
    from peft.utils import get_peft_model_state_dict
    from safetensors.torch import load_file
    from transformers import AutoModelForCausalLM

    torch.backends.cuda.matmul.allow_tf32 = False  # fp32 arithmetic: the last digits are what is compared
    device = "cuda" if torch.cuda.is_available() else "cpu"
    steps = sorted(int(p.name[len("step-"):]) for p in Path(snapshots).glob("step-*"))
    untimed = [s for s in steps if s not in times]
    if not steps or untimed:
        sys.exit(f"ERROR {snapshots}: snapshots of steps {steps}; without a training time in the log: {untimed}")
    rows = sorted((json.loads(line) for line in open(eval_file)), key=lambda r: len(r["ids"]))
    batches = [{k: v.to(device) for k, v in _padded([{"input_ids": r["ids"], "labels": r["labels"]}
                                                    for r in rows[i:i + 64]]).items()}
               for i in range(0, len(rows), 64)]
    model = AutoModelForCausalLM.from_pretrained(base, dtype=torch.float32, attn_implementation="eager",
                                                 device_map=device)
    previous, started = None, time.perf_counter()
    for s in steps:
        name, path = f"step-{s}", f"{snapshots}/step-{s}"
        if previous is None:
            model = PeftModel.from_pretrained(model, path, adapter_name=name)
        else:
            model.load_adapter(path, adapter_name=name)
            model.set_adapter(name, inference_mode=True)
            model.delete_adapter(previous)
        previous = name
        model.eval()
        loaded = get_peft_model_state_dict(model, adapter_name=name, save_embedding_layers=False)
        saved = load_file(f"{path}/adapter_model.safetensors", device=device)
        if (list(model.peft_config) != [name] or model.active_adapters != [name] or loaded.keys() != saved.keys()
                or not all(torch.equal(loaded[k], saved[k]) for k in saved)):
            sys.exit(f"ERROR {path}: the model's adapters {list(model.peft_config)} (active {model.active_adapters})"
                     f" are not exactly this snapshot; keys only saved: {sorted(saved.keys() - loaded.keys())[:3]},"
                     f" only loaded: {sorted(loaded.keys() - saved.keys())[:3]}")
        print(f"EVAL step {s} train_s {times[s]:.3f} loss {_token_mean_loss(model, batches):.5g}", flush=True)
    print(f"RESULT evaluated {len(steps)} snapshots on {device} in {time.perf_counter() - started:.1f} s")


def _token_mean_loss(model, batches):
    """The validation loss: next-token cross-entropy summed over the labelled targets over their count, in fp32."""
    import torch
    import torch.nn.functional as F
    total, count = 0.0, 0
    with torch.no_grad():
        for b in batches:
            logits = model(input_ids=b["input_ids"], attention_mask=b["attention_mask"]).logits[:, :-1].float()
            target = b["labels"][:, 1:]
            keep = target != -100
            total += F.cross_entropy(logits[keep], target[keep], reduction="sum").item()
            count += int(keep.sum())
    return total / count


def hf_times(log):
    """Training seconds at each snapshot of `hf`'s log: its synchronised clock, saving already excluded."""
    matches = (re.match(r"SNAPSHOT step (\d+) train_s ([\d.]+)", line) for line in open(log))
    return {int(m.group(1)): float(m.group(2)) for m in matches if m}


def core_times(log):
    """Training seconds at each printed step of a peft-core TrainCommand log stamped by `ts`, from "== training": a
    step's line is stamped once its update is read back; a "snapshot @S" line once the save after it is written and an
    "eval @S" line once the evaluation after that is done, so each such line's gap to the one before it at step S is
    excluded from the later steps' times."""
    t0, excluded, last_at, times = None, 0.0, {}, {}
    for line in open(log):
        stamp, _, text = line.rstrip("\n").partition(" ")
        if text == "== training":
            t0 = float(stamp)
        if t0 is None:
            continue
        m = re.match(r"step (\d+)/", text)
        if m:
            s = int(m.group(1))
            times[s], last_at[s] = float(stamp) - t0 - excluded, float(stamp)
        m = re.match(r"(snapshot|eval) @(\d+):", text)
        if m:
            s = int(m.group(2))
            if s not in last_at:
                sys.exit(f"ERROR {log}: '{text}' follows no 'step {s}/' line (TrainCommand prints every 10th step)")
            excluded += float(stamp) - last_at[s]
            last_at[s] = float(stamp)
    return times


def core_eval(log, snapshots, base, eval_file):
    evaluate_snapshots(core_times(log), snapshots, base, eval_file)
    for line in open(log):  # peft-core's own fp16 evaluation and result, beside the common evaluator's
        text = line.rstrip("\n").partition(" ")[2]
        if re.match(r"(eval @|lora )", text):
            print(text)


def _length_grouping(config):
    """transformers 5 replaced TrainingArguments' group_by_length with train_sampling_strategy."""
    import dataclasses
    from transformers import TrainingArguments
    names = {f.name for f in dataclasses.fields(TrainingArguments)}
    if "group_by_length" in names:
        return {"group_by_length": config == "group-by-length"}
    return {"train_sampling_strategy": "group_by_length" if config == "group-by-length" else "random"}


def _has(module):
    import importlib.util
    return importlib.util.find_spec(module) is not None


def ts():
    for line in sys.stdin:
        sys.stdout.write(f"{time.time():.3f} {line}")
        sys.stdout.flush()


def summary(log):
    runs, seeds = {}, {}
    for line in open(log):
        m = re.match(r"\[(.+)-r(\d+)\] EVAL step (\d+) train_s ([\d.]+) loss ([\d.eE+-]+)$", line.rstrip("\n"))
        if m:
            runs.setdefault(m.group(1), {}).setdefault(int(m.group(2)), []).append(
                (int(m.group(3)), float(m.group(4)), float(m.group(5))))
        m = re.match(r"round (\d+) \(.*; seed (\d+)", line)  # gpu-ttq.sh's header of a round's call
        if m:
            seeds[int(m.group(1))] = int(m.group(2))
    # HF's configuration in every round: round 1 runs each and the later rounds only the faster one
    hf_label = max((k for k in runs if k.startswith("hf-")), key=lambda k: (len(runs[k]), -runs[k][1][-1][1]))
    target = runs[hf_label][1][-1][2]
    print(f"SUMMARY (ttq.py summary {log}): target validation loss {target:.5g} = {hf_label}'s after one epoch in"
          f" round 1 (step {runs[hf_label][1][-1][0]})")
    medians = {}
    for label, rounds in runs.items():
        times = []
        for r in sorted(rounds):
            hit = next(((s, t, l) for s, t, l in rounds[r] if l <= target), None)
            last = rounds[r][-1]
            seed = f" (seed {seeds[r]})" if r in seeds else ""
            if hit:
                times.append(hit[1])
                print(f"  {label} round {r}{seed}: reached {hit[2]:.5g} at step {hit[0]} after {hit[1]:.1f} s of"
                      f" training; one epoch: {last[0]} steps in {last[1]:.1f} s, final loss {last[2]:.5g}")
            else:
                print(f"  {label} round {r}{seed}: NOT reached; one epoch: {last[0]} steps in {last[1]:.1f} s, final"
                      f" loss {last[2]:.5g}")
        if len(times) == len(rounds):
            medians[label] = statistics.median(times)
            print(f"  {label}: median time to target {medians[label]:.1f} s over {len(times)} rounds")
    for core_label in (k for k in medians if k.startswith("peft-core")):
        for label in (k for k in medians if k.startswith("hf-")):
            print(f"  RATIO {label} / {core_label}: {medians[label] / medians[core_label]:.2f}x (peft-core faster"
                  f" when above 1)")
    # the descent per update, whatever the clock: the question the seeds and the batch orders are for
    shared = set.intersection(*({s for s, _, _ in points} for rounds in runs.values() for points in rounds.values()))
    print("PER STEP: validation loss after the same update, median of the rounds [each round in order]")
    for step in sorted(s for s in shared if s % 250 == 0 or s == max(shared)):
        cells = []
        for label, rounds in runs.items():
            losses = [next(l for s, _, l in rounds[r] if s == step) for r in sorted(rounds)]
            cells.append(f"{label} {statistics.median(losses):.3g} [{' '.join(f'{l:.3g}' for l in losses)}]")
        print(f"  step {step:5d}: " + "; ".join(cells))


if __name__ == "__main__":
    mode, rest = sys.argv[1], sys.argv[2:]
    if mode == "hf":
        hf(*rest[:4], int(rest[4]) if len(rest) > 4 else -1, int(rest[5]) if len(rest) > 5 else 42)
    elif mode == "hf-eval":
        evaluate_snapshots(hf_times(rest[0]), *rest[1:4])
    elif mode == "core-eval":
        core_eval(*rest[:4])
    elif mode == "ts":
        ts()
    else:
        summary(rest[0])
