"""HF PEFT loads the adapter a peft-core TrainCommand run saved and recomputes the run's tuned metrics on the same
tokens (EvalSetDump's file): eval loss (token mean over the labelled next-token targets, as peft-core's Evaluator)
and greedy exact match (the decoded new tokens, special tokens skipped, trimmed, against the reference answer).
Once with the base in fp32, once in fp16 (peft-core's dtype on CUDA).
Usage: python peft_resume_check.py BASE_DIR RUN_DIR EVAL_SET.jsonl"""
import json, sys, time
import torch
import torch.nn.functional as F
from transformers import AutoModelForCausalLM, PreTrainedTokenizerFast
from peft import PeftModel

base_dir, run_dir, eval_set = sys.argv[1:4]
manifest = json.load(open(f"{run_dir}/manifest.json"))
core = manifest["metrics"]["tuned"]
rows = [json.loads(line) for line in open(eval_set)]
tok = PreTrainedTokenizerFast(tokenizer_file=f"{base_dir}/tokenizer.json")


@torch.no_grad()
def measure(dtype):
    base = AutoModelForCausalLM.from_pretrained(base_dir, dtype=dtype, device_map="cuda").eval()
    model = PeftModel.from_pretrained(base, f"{run_dir}/adapter").eval()
    total, count, correct_tokens = 0.0, 0, 0
    for r in sorted(rows, key=lambda r: len(r["ids"])):
        ids = torch.tensor([r["ids"]], device="cuda")
        labels = torch.tensor(r["labels"][1:], device="cuda")
        logits = model(input_ids=ids).logits[0, :-1].float()
        keep = labels != -100
        total += F.cross_entropy(logits[keep], labels[keep], reduction="sum").item()
        count += int(keep.sum())
        correct_tokens += int((logits[keep].argmax(-1) == labels[keep]).sum())
    exact, per_label = 0, {}
    for r in rows:
        prompt = torch.tensor([r["prompt_ids"]], device="cuda")
        out = model.generate(input_ids=prompt, attention_mask=torch.ones_like(prompt), do_sample=False,
                             max_new_tokens=r["max_new_tokens"], eos_token_id=r["stop_ids"],
                             pad_token_id=r["stop_ids"][0])[0, prompt.shape[1]:].tolist()
        for i, t in enumerate(out):
            if t in r["stop_ids"]:
                out = out[:i]
                break
        hit = tok.decode(out, skip_special_tokens=True).strip() == r["answer"]
        exact += hit
        s = per_label.setdefault(r["answer"], [0, 0])
        s[0] += hit
        s[1] += 1
    del model, base
    torch.cuda.empty_cache()
    return {"eval_loss": total / count, "token_accuracy": correct_tokens / count, "exact_match": exact / len(rows),
            "exact_match_macro": sum(c / n for c, n in per_label.values()) / len(per_label), "tokens": count}


print(f"peft-core (manifest): eval_loss {core['eval_loss']:.6f} token_accuracy {core['token_accuracy']:.6f}"
      f" exact_match {core['exact_match']:.4f} macro {core['exact_match_macro']:.4f}"
      f" (result: {json.dumps(manifest['result'])})")
for name, dtype in (("fp32", torch.float32), ("fp16", torch.float16)):
    t0 = time.time()
    m = measure(dtype)
    diffs = {k: m[k] - core[k] for k in ("eval_loss", "token_accuracy", "exact_match", "exact_match_macro")}
    same4 = all(f"{m[k]:.4f}" == f"{core[k]:.4f}" for k in diffs)
    print(f"RESULT hf-peft {name}: eval_loss {m['eval_loss']:.6f} token_accuracy {m['token_accuracy']:.6f}"
          f" exact_match {m['exact_match']:.4f} macro {m['exact_match_macro']:.4f} over {m['tokens']} tokens;"
          f" minus peft-core: " + ", ".join(f"{k} {v:+.2e}" for k, v in diffs.items())
          + f"; equal to 4 digits: {'yes' if same4 else 'no'} ({time.time() - t0:.1f} s)", flush=True)
