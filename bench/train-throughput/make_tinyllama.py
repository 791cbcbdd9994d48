"""Writes a random TinyLlama-1.1B-shaped checkpoint (22 layers, hidden 2048, GQA 32/4 heads, vocab 32000) with the
embedded tiny model's tokenizer files copied beside it: config.json and model.safetensors in fp16, weights std 0.02
(norms 1), seeded. Usage: python make_tinyllama.py OUT_DIR TOKENIZER_DIR"""
import json, os, shutil, sys
import torch
from transformers import LlamaConfig, LlamaForCausalLM

out, tokenizer_dir = sys.argv[1:3]
torch.manual_seed(0)
cfg = LlamaConfig(vocab_size=32000, hidden_size=2048, intermediate_size=5632, num_hidden_layers=22,
                  num_attention_heads=32, num_key_value_heads=4, max_position_embeddings=2048, rms_norm_eps=1e-5,
                  rope_theta=10000.0, tie_word_embeddings=False, bos_token_id=1, eos_token_id=2, initializer_range=0.02)
model = LlamaForCausalLM(cfg).half()
tok_cfg = json.load(open(os.path.join(tokenizer_dir, "config.json")))
model.config.bos_token_id = tok_cfg.get("bos_token_id", 1)
model.config.eos_token_id = tok_cfg.get("eos_token_id", 2)
model.config.pad_token_id = tok_cfg.get("pad_token_id")
model.save_pretrained(out, safe_serialization=True)
for f in ("tokenizer.json", "tokenizer_config.json", "generation_config.json"):
    if os.path.exists(os.path.join(tokenizer_dir, f)):
        shutil.copy(os.path.join(tokenizer_dir, f), os.path.join(out, f))
print(f"RESULT checkpoint {out}: {sum(p.numel() for p in model.parameters()) / 1e9:.3f} B parameters, fp16", flush=True)
