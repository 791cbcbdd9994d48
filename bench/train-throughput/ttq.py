"""Time-to-quality on the platform's own data (issue 25 item 3): training wall time, evaluations excluded, from the
first step to a target validation loss. Both contenders train LoRA (r 8, alpha 16, q,k,v,o, no dropout; AdamW lr 1e-3,
no weight decay, cosine after 10 warmup steps, clipping at 1.0, batch 16, one epoch, seed 42) on the same random
TinyLlama-1.1B-shaped checkpoint and the same generated transactions, and measure the same validation loss (the token
mean over the labelled next-token targets of EvalSetDump's file, as peft-core's Evaluator) every 50 steps.

  hf CONFIG BASE TRAIN_TOKENS EVAL_TOKENS [max_steps]   HF Trainer + PEFT; prints "EVAL step S train_s T loss L"
      CONFIG group-by-length: batches of similar length padded to their longest (bf16 + SDPA, fused AdamW)
             flatten: padding-free, DataCollatorWithFlattening (bf16, SDPA's packed-sequence mask or flash_attention_2)
  core LOG      the same EVAL lines from a peft-core TrainCommand log whose lines carry a time stamp (ts below)
  ts            stamps stdin's lines with the wall clock (peft-core's log has none)
  summary LOG   the target (round 1's loss after one epoch of HF's configuration that ran every round, the faster of
                round 1), every run's time to it, medians, ratios
"""
import json, re, statistics, sys, time

EVERY = 50


def hf(config, base, train_file, eval_file, max_steps=-1):
    import torch
    import torch.nn.functional as F
    import transformers, peft
    from transformers import (AutoModelForCausalLM, DataCollatorWithFlattening, Trainer, TrainerCallback,
                              TrainingArguments)
    from peft import LoraConfig, get_peft_model

    train = [{"input_ids": r["ids"], "labels": r["labels"]} for r in map(json.loads, open(train_file))]
    rows = sorted((json.loads(line) for line in open(eval_file)), key=lambda r: len(r["ids"]))
    attn = "flash_attention_2" if config == "flatten" and _has("flash_attn") else "sdpa"
    model = AutoModelForCausalLM.from_pretrained(base, dtype=torch.bfloat16, attn_implementation=attn,
                                                 device_map="cuda")
    model = get_peft_model(model, LoraConfig(r=8, lora_alpha=16, lora_dropout=0.0, task_type="CAUSAL_LM",
                                             target_modules=["q_proj", "k_proj", "v_proj", "o_proj"]))

    def padded(batch):
        n = max(len(r["input_ids"]) for r in batch)
        ids = torch.zeros((len(batch), n), dtype=torch.long)
        labels = torch.full((len(batch), n), -100, dtype=torch.long)
        mask = torch.zeros((len(batch), n), dtype=torch.long)
        for i, r in enumerate(batch):
            k = len(r["input_ids"])
            ids[i, :k], labels[i, :k], mask[i, :k] = torch.tensor(r["input_ids"]), torch.tensor(r["labels"]), 1
        return {"input_ids": ids, "labels": labels, "attention_mask": mask}

    evals = [{k: v.cuda() for k, v in padded([{"input_ids": r["ids"], "labels": r["labels"]}
                                                for r in rows[i:i + 64]]).items()} for i in range(0, len(rows), 64)]

    @torch.no_grad()
    def evaluate(m):
        m.eval()
        total, count = torch.zeros((), device="cuda"), 0
        with torch.autocast("cuda", dtype=torch.bfloat16):
            for b in evals:
                logits = m(input_ids=b["input_ids"], attention_mask=b["attention_mask"]).logits[:, :-1].float()
                target = b["labels"][:, 1:]
                keep = target != -100
                total += F.cross_entropy(logits[keep], target[keep], reduction="sum")
                count += int(keep.sum())
        m.train()
        return total.item() / count

    class Clock(TrainerCallback):
        def __init__(self):
            self.t0, self.evaluating = None, 0.0

        def on_train_begin(self, args, state, control, **kw):
            torch.cuda.synchronize()
            self.t0 = time.perf_counter()

        def on_step_end(self, args, state, control, model=None, **kw):
            if state.global_step % EVERY and state.global_step != state.max_steps:
                return
            torch.cuda.synchronize()
            t = time.perf_counter()
            loss = evaluate(model)
            print(f"EVAL step {state.global_step} train_s {t - self.t0 - self.evaluating:.3f} loss {loss:.6f}",
                  flush=True)
            self.evaluating += time.perf_counter() - t

    args = TrainingArguments(output_dir="/tmp/hf-ttq", per_device_train_batch_size=16, num_train_epochs=1,
                             max_steps=max_steps, learning_rate=1e-3, weight_decay=0.0, lr_scheduler_type="cosine",
                             warmup_steps=10, max_grad_norm=1.0, optim="adamw_torch_fused", bf16=True, seed=42,
                             logging_steps=EVERY, save_strategy="no", report_to=[], disable_tqdm=True,
                             dataloader_pin_memory=True, remove_unused_columns=False, **_length_grouping(config))
    collator = DataCollatorWithFlattening(return_position_ids=True) if config == "flatten" else padded
    trainer = Trainer(model=model, args=args, train_dataset=train, data_collator=collator, callbacks=[Clock()])
    if config == "flatten":  # the packed batch must give the padded batch's loss, else the mask leaks across rows
        b = train[:16]
        with torch.no_grad(), torch.autocast("cuda", dtype=torch.bfloat16):
            packed = model(**{k: v.cuda() for k, v in collator(b).items()}).loss.item()
            pad = model(**{k: v.cuda() for k, v in padded(b).items()}).loss.item()
        print(f"packed-sequence check ({attn}): loss packed {packed:.6f}, padded {pad:.6f}", flush=True)
    t = time.perf_counter()
    out = trainer.train()
    tokens = sum(len(r["input_ids"]) for r in train) * (1 if max_steps < 0 else max_steps * 16 / len(train))
    print(f"RESULT hf-peft {config} ({attn}): transformers {transformers.__version__} peft {peft.__version__}"
          f" torch {torch.__version__}; {out.global_step} steps in {time.perf_counter() - t:.1f} s with evaluations;"
          f" ~{tokens:.0f} tokens", flush=True)


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


def core(log):
    """peft-core's step line at an evaluated step comes right before its "eval @S" line: the gap is the evaluation."""
    t0, steps, evaluating = None, {}, 0.0
    for line in open(log):
        stamp, _, text = line.rstrip("\n").partition(" ")
        if text == "== training":
            t0 = float(stamp)
        m = re.match(r"step (\d+)/", text)
        if m:
            steps[int(m.group(1))] = float(stamp)
        m = re.match(r"eval @(\d+): loss ([\d.]+)", text)
        if m and t0 is not None:
            s = int(m.group(1))
            print(f"EVAL step {s} train_s {steps[s] - t0 - evaluating:.3f} loss {float(m.group(2)):.6f}")
            evaluating += float(stamp) - steps[s]
        if re.match(r"(lora |majority|base |tuned )", text):
            print(text)


def ts():
    for line in sys.stdin:
        sys.stdout.write(f"{time.time():.3f} {line}")
        sys.stdout.flush()


def summary(log):
    runs = {}
    for line in open(log):
        m = re.match(r"\[(.+)-r(\d+)\] EVAL step (\d+) train_s ([\d.]+) loss ([\d.]+)", line)
        if m:
            runs.setdefault(m.group(1), {}).setdefault(int(m.group(2)), []).append(
                (int(m.group(3)), float(m.group(4)), float(m.group(5))))
    # HF's configuration in every round: round 1 runs each and the later rounds only the faster one
    hf_label = max((k for k in runs if k.startswith("hf-")), key=lambda k: (len(runs[k]), -runs[k][1][-1][1]))
    target = runs[hf_label][1][-1][2]
    print(f"SUMMARY (ttq.py summary {log}): target validation loss {target:.6f} = {hf_label}'s after one epoch in"
          f" round 1 (step {runs[hf_label][1][-1][0]})")
    medians = {}
    for label, rounds in runs.items():
        times = []
        for r in sorted(rounds):
            hit = next(((s, t, l) for s, t, l in rounds[r] if l <= target), None)
            last = rounds[r][-1]
            if hit:
                times.append(hit[1])
                print(f"  {label} round {r}: reached {hit[2]:.6f} at step {hit[0]} after {hit[1]:.1f} s of training;"
                      f" one epoch: {last[0]} steps in {last[1]:.1f} s, final loss {last[2]:.6f}")
            else:
                print(f"  {label} round {r}: NOT reached; one epoch: {last[0]} steps in {last[1]:.1f} s, final loss"
                      f" {last[2]:.6f}")
        if len(times) == len(rounds):
            medians[label] = statistics.median(times)
            print(f"  {label}: median time to target {medians[label]:.1f} s over {len(times)} rounds")
    core_label = next((k for k in medians if k.startswith("peft-core")), None)
    for label in medians:
        if core_label and label != core_label:
            print(f"  RATIO {label} / {core_label}: {medians[label] / medians[core_label]:.2f}x (peft-core faster"
                  f" when above 1)")


if __name__ == "__main__":
    mode, rest = sys.argv[1], sys.argv[2:]
    if mode == "hf":
        hf(rest[0], rest[1], rest[2], rest[3], int(rest[4]) if len(rest) > 4 else -1)
    elif mode == "core":
        core(rest[0])
    elif mode == "ts":
        ts()
    else:
        summary(rest[0])
