"""Checks that peft-core's embedded tiny model is a valid HF checkpoint: transformers loads it (config,
safetensors written by SafetensorsWriter, tokenizer.json built by ByteLevelBpe), tokenizes like peft-core,
and computes the same logits. Inputs come from TinyModelExport (peft-core test sources):
    java ... io.peftflow.core.tiny.TinyModelExport DIR ; python3 peft-core/reference/check_tiny.py DIR
"""
import json
import sys

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

d = sys.argv[1]
exp = json.load(open(f"{d}/java_expected.json"))
tok = AutoTokenizer.from_pretrained(d)
for e in exp["encodings"]:
    ids = tok(e["text"])["input_ids"]
    print("tokens", "OK" if ids == e["ids"] else f"DIFF hf={ids} java={e['ids']}", repr(e["text"]))
    assert tok.decode(ids, skip_special_tokens=True) == e["text"].replace("<|user|>", "").replace(
        "<|end|>", "").replace("<|assistant|>", ""), tok.decode(ids, skip_special_tokens=True)
model = AutoModelForCausalLM.from_pretrained(d, dtype=torch.float32, attn_implementation="eager").eval()
ids = torch.tensor([exp["encodings"][0]["ids"]])
with torch.no_grad():
    logits = model(ids).logits[0].flatten()
java = torch.tensor(exp["logits"])
print("logits max|diff|", (logits - java).abs().max().item(), "over", java.numel())
print("chat template:", tok.apply_chat_template([{"role": "user", "content": "Hello"}], tokenize=False,
                                               add_generation_prompt=True).replace("\n", "\\n"))
