"""Checks peft-core's adapter files against HF PEFT, both ways, on the tiny reference checkpoints.

Run once on a machine with torch + transformers + peft (CPU is enough):
    python3 peft-core/reference/check_peft_interop.py peft-core/src/test/resources/fixtures OUTDIR

(a) Java -> PEFT: every FIXTURES/peft_interop/java_*/ (written by InteropFixtureWriter) is loaded with
    PeftModel.from_pretrained; its keys must equal PEFT's own state-dict keys for that config (no missing, no
    unexpected) and PEFT's logits must match the Java logits saved beside it (max abs diff <= 1e-4, real tokens).
    java_merged_* (a merged LoRA export) is loaded by transformers alone, with no missing or unexpected keys.
(b) PEFT -> Java: LoRA (Llama, GPT-2 Conv1D with rsLoRA) and prompt-tuning adapters made by PEFT (seeded, LoRA B
    non-zero) are saved with save_pretrained, with their logits (logits.safetensors), into
    OUTDIR/peft_fixtures.tar (peft_interop/peft_*/); PeftInteropTest loads them into peft-core and matches the logits.
OUTDIR/interop_result.json records versions, keys and max abs diffs.
"""
import json
import os
import sys
import tarfile
import tempfile
import traceback
import warnings

import torch
import transformers
import peft
import safetensors
from safetensors.torch import load_file, save_file
from transformers import AutoModelForCausalLM
from peft import LoraConfig, PeftModel, PromptTuningConfig, get_peft_model, get_peft_model_state_dict

FIX = sys.argv[1]
OUT = sys.argv[2]
INTEROP = os.path.join(FIX, "peft_interop")
MADE = os.path.join(tempfile.mkdtemp(), "peft_interop")  # only the tar goes to OUT
TOL = 1e-4
VERSIONS = {"torch": torch.__version__, "transformers": transformers.__version__, "peft": peft.__version__,
            "safetensors": safetensors.__version__}
print(VERSIONS, flush=True)
result = {"versions": VERSIONS, "java_to_peft": {}, "peft_to_java": {}}


def base(fixture):
    return AutoModelForCausalLM.from_pretrained(os.path.join(FIX, fixture), attn_implementation="eager",
                                                dtype=torch.float32).eval()


def inputs(fixture):
    e = json.load(open(os.path.join(FIX, fixture, "expected.json")))
    return torch.tensor(e["input_ids"]), torch.tensor(e["attention_mask"]), torch.tensor(e["position_ids"])


def logits_of(model, fixture, prompt):
    """LoRA: both rows with mask and positions (row 1 left-padded); prompt tuning: row 0 alone, unpadded."""
    ids, mask, pos = inputs(fixture)
    with torch.no_grad():
        if prompt:
            return model(input_ids=ids[:1]).logits.float(), None
        return model(input_ids=ids, attention_mask=mask, position_ids=pos).logits.float(), mask


def max_diff(a, b, mask):
    if a.shape != b.shape:
        return float("inf")
    d = (a - b).abs()
    if mask is not None:
        d = d[mask.bool()]
    return float(d.max())


def check_java(name):
    d = os.path.join(INTEROP, name)
    fixture = json.load(open(os.path.join(d, "adapter_config.json")))["base_model_name_or_path"]
    prompt = "prompt" in name
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = PeftModel.from_pretrained(base(fixture), d)
    file_keys = set(load_file(os.path.join(d, "adapter_model.safetensors")).keys())
    peft_keys = set(get_peft_model_state_dict(model).keys())
    got, mask = logits_of(model, fixture, prompt)
    want = load_file(os.path.join(d, "logits.safetensors"))["logits"]
    entry = {"fixture": fixture, "missing": sorted(peft_keys - file_keys), "unexpected": sorted(file_keys - peft_keys),
             "max_abs_diff": max_diff(got, want, mask), "logits_shape": list(got.shape),
             "warnings": sorted({str(w.message)[:200] for w in caught})}
    # PEFT's own report when loading the same files into a second adapter slot.
    try:
        with warnings.catch_warnings(record=True):
            warnings.simplefilter("always")
            load = model.load_adapter(d, adapter_name="again")
        entry["peft_load_missing"] = sorted(k for k in load.missing_keys if "again" in k)
        # For prompt learning PEFT's load_state_dict(strict=False) always lists prompt_embeddings as unexpected;
        # set_peft_model_state_dict then loads it into prompt_encoder[...].embedding with strict=True.
        entry["peft_load_unexpected"] = sorted(k for k in load.unexpected_keys
                                               if not (prompt and k == "prompt_embeddings"))
    except Exception as e:
        entry["peft_load_error"] = repr(e)[:500]
    entry["ok"] = not entry["missing"] and not entry["unexpected"] and not entry.get("peft_load_missing") \
        and not entry.get("peft_load_unexpected") and entry["max_abs_diff"] <= TOL
    return entry


def check_java_merged(name):
    """A merged LoRA export is a plain checkpoint: transformers alone loads it and gives the adapter's logits."""
    d = os.path.join(INTEROP, name)
    model, info = AutoModelForCausalLM.from_pretrained(d, attn_implementation="eager", dtype=torch.float32,
                                                       output_loading_info=True)
    fixture = "gpt2" if name.endswith("gpt2") else "llama_gqa_tied"
    got, mask = logits_of(model.eval(), fixture, False)
    want = load_file(os.path.join(d, "logits.safetensors"))["logits"]
    entry = {"fixture": fixture, "missing": sorted(info["missing_keys"]), "unexpected": sorted(info["unexpected_keys"]),
             "max_abs_diff": max_diff(got, want, mask)}
    entry["ok"] = not entry["missing"] and not entry["unexpected"] and entry["max_abs_diff"] <= TOL
    return entry


def make_peft(name, fixture, config, seed):
    torch.manual_seed(seed)
    model = get_peft_model(base(fixture), config)
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for n, p in model.named_parameters():
            if "lora_B" in n:  # non-zero so that the adapter changes the logits
                p.copy_(0.2 * torch.randn(p.shape, generator=g))
    model.eval()
    d = os.path.join(MADE, name)
    model.save_pretrained(d)
    readme = os.path.join(d, "README.md")
    if os.path.exists(readme):
        os.remove(readme)
    got, _ = logits_of(model, fixture, isinstance(config, PromptTuningConfig))
    save_file({"logits": got.contiguous()}, os.path.join(d, "logits.safetensors"), metadata={"format": "pt"})
    trainable, total = model.get_nb_trainable_parameters()
    return {"fixture": fixture, "files": sorted(os.listdir(d)), "keys": sorted(load_file(
        os.path.join(d, "adapter_model.safetensors")).keys()), "trainable": int(trainable), "total": int(total),
        "config": json.load(open(os.path.join(d, "adapter_config.json")))}


for name in sorted(os.listdir(INTEROP)):
    if name.startswith("java_"):
        try:
            check = check_java_merged if name.startswith("java_merged_") else check_java
            result["java_to_peft"][name] = check(name)
        except Exception:
            result["java_to_peft"][name] = {"ok": False, "error": traceback.format_exc()}
        print(name, json.dumps(result["java_to_peft"][name], indent=1)[:3000], flush=True)

jobs = [
    ("peft_lora_llama", "llama_gqa_tied", LoraConfig(r=4, lora_alpha=8, target_modules="all-linear",
                                                     task_type="CAUSAL_LM")),
    ("peft_lora_gpt2", "gpt2", LoraConfig(r=4, lora_alpha=16, target_modules=["c_attn", "c_fc"], fan_in_fan_out=True,
                                          use_rslora=True, task_type="CAUSAL_LM")),
    ("peft_prompt_llama", "llama_gqa_tied", PromptTuningConfig(task_type="CAUSAL_LM", num_virtual_tokens=6,
                                                               prompt_tuning_init="RANDOM")),
]
for name, fixture, config in jobs:
    try:
        result["peft_to_java"][name] = make_peft(name, fixture, config, 21)
    except Exception:
        result["peft_to_java"][name] = {"error": traceback.format_exc()}
    print(name, json.dumps(result["peft_to_java"][name])[:1500], flush=True)

with open(os.path.join(OUT, "interop_result.json"), "w") as f:
    json.dump(result, f, indent=1)
if os.path.isdir(MADE):
    with tarfile.open(os.path.join(OUT, "peft_fixtures.tar"), "w") as t:
        t.add(MADE, arcname="peft_interop")
ok = all(e.get("ok") for e in result["java_to_peft"].values()) and result["java_to_peft"] \
    and all("error" not in e for e in result["peft_to_java"].values())
print("INTEROP", "OK" if ok else "FAILED", flush=True)
sys.exit(0 if ok else 1)
