"""Builds the tiny reference checkpoints peft-core's parity tests compare against.

Run once on a machine with torch + transformers + peft (the GPU machine; CPU is enough):
    python3 peft-core/reference/make_fixtures.py OUTDIR
Each OUTDIR/<name>/ is an HF checkpoint written by save_pretrained plus:
  expected.safetensors  logits [B, T, V] in F32 for the inputs in expected.json
  expected.json         input_ids, attention_mask, position_ids, greedy continuation, PEFT LoRA counts, versions
Weights are re-randomised with larger spread than HF's init (std 0.02) so a wrong op shows in the logits.
"""
import json
import os
import sys
import traceback

import torch
import transformers
import peft
import safetensors
from safetensors.torch import save_file

OUT = sys.argv[1]
torch.manual_seed(1234)
VERSIONS = {"torch": torch.__version__, "transformers": transformers.__version__,
            "peft": peft.__version__, "safetensors": safetensors.__version__}
print(VERSIONS, flush=True)

# Row 0 unpadded, row 1 left-padded by 3 (pad id 0); HF's forward does not derive positions from the
# mask, so pass them explicitly as generate() does: cumsum(mask) - 1.
T = 16
ids = torch.randint(3, 250, (2, T))
mask = torch.ones(2, T, dtype=torch.long)
mask[1, :3] = 0
ids[1, :3] = 0
pos = (mask.cumsum(-1) - 1).clamp(min=0)


def randomise(model):
    g = torch.Generator().manual_seed(99)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dim() == 1 and ("norm" in name or name.split(".")[-2].startswith("ln")):
                p.copy_(1.0 + 0.2 * torch.randn(p.shape, generator=g)) if name.endswith("weight") \
                    else p.copy_(0.1 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(0.08 * torch.randn(p.shape, generator=g))


def greedy(model, prompt, n):
    """Greedy by full recompute: what a KV-cached loop must reproduce."""
    seq = prompt.clone()
    with torch.no_grad():
        for _ in range(n):
            nxt = model(seq).logits[:, -1].argmax(-1, keepdim=True)
            seq = torch.cat([seq, nxt], dim=1)
    return seq[0, prompt.shape[1]:].tolist()


def lora_count(model, targets, r):
    import copy
    m = peft.get_peft_model(copy.deepcopy(model),
                            peft.LoraConfig(r=r, lora_alpha=2 * r, target_modules=targets, task_type="CAUSAL_LM"))
    trainable, total = m.get_nb_trainable_parameters()
    return {"r": r, "target_modules": targets, "trainable": int(trainable), "total": int(total)}


def build(name, cls, cfg, targets, **save_kw):
    out = os.path.join(OUT, name)
    torch.manual_seed(7)
    model = cls(cfg).eval()
    randomise(model)
    model.save_pretrained(out, **save_kw)
    with torch.no_grad():
        logits = model(input_ids=ids, attention_mask=mask, position_ids=pos).logits.float()
        # Same row alone, no mask: checks the padded row's real positions match an unpadded run.
        alone = model(input_ids=ids[1:, 3:]).logits.float()
    save_file({"logits": logits.contiguous(), "logits_row1_unpadded": alone.contiguous()},
              os.path.join(out, "expected.safetensors"), metadata={"format": "pt"})
    meta = {"input_ids": ids.tolist(), "attention_mask": mask.tolist(), "position_ids": pos.tolist(),
            "greedy_prompt": ids[0, :5].tolist(), "greedy_new_tokens": greedy(model, ids[:1, :5], 8),
            "num_parameters": sum(p.numel() for p in model.parameters()),
            "lora": lora_count(model, targets, 4), "versions": VERSIONS}
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(meta, f, indent=1)
    print("==", name, "files", sorted(os.listdir(out)), flush=True)
    print(open(os.path.join(out, "config.json")).read(), flush=True)


def llama_kw(**kw):
    base = dict(vocab_size=256, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=128,
                rms_norm_eps=1e-5, attn_implementation="eager", bos_token_id=1, eos_token_id=2, pad_token_id=0)
    base.update(kw)
    return base


def rope(cfg_cls, theta, scaling=None):
    """transformers 5 folds rope_theta/rope_scaling into rope_parameters; 4.x takes them apart."""
    import inspect
    if "rope_parameters" in inspect.signature(cfg_cls.__init__).parameters:
        return {"rope_parameters": {"rope_type": "default", "rope_theta": theta, **(scaling or {})}}
    return {"rope_theta": theta, **({"rope_scaling": scaling} if scaling else {})}


def make_all():
    from transformers import (LlamaConfig, LlamaForCausalLM, Qwen2Config, Qwen2ForCausalLM, MistralConfig,
                              MistralForCausalLM, GPT2Config, GPT2LMHeadModel)
    jobs = [
        ("llama_gqa_tied", LlamaForCausalLM, lambda: LlamaConfig(**llama_kw(tie_word_embeddings=True,
                                                                             **rope(LlamaConfig, 10000.0))),
         ["q_proj", "v_proj"], {}),
        # Llama-3 rope scaling with original_max_position_embeddings small enough that the 16 positions
        # hit the interpolated band; sharded save to exercise model.safetensors.index.json.
        ("llama3_untied_sharded", LlamaForCausalLM, lambda: LlamaConfig(**llama_kw(
            tie_word_embeddings=False, **rope(LlamaConfig, 500000.0, {
                "rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                "original_max_position_embeddings": 64}))),
         ["q_proj", "k_proj", "v_proj", "o_proj"], {"max_shard_size": "100KB"}),
        ("qwen2_bias", Qwen2ForCausalLM, lambda: Qwen2Config(**llama_kw(
            tie_word_embeddings=False, rms_norm_eps=1e-6, **rope(Qwen2Config, 1000000.0))),
         ["q_proj", "v_proj"], {}),
        # Sliding window 5 < 16 tokens so the window changes the result; head_dim set apart from hidden/heads.
        ("mistral_sliding", MistralForCausalLM, lambda: MistralConfig(**llama_kw(
            tie_word_embeddings=False, sliding_window=5, head_dim=24, num_key_value_heads=1,
            **rope(MistralConfig, 10000.0))), ["q_proj", "v_proj"], {}),
        ("gpt2", GPT2LMHeadModel, lambda: GPT2Config(vocab_size=256, n_embd=64, n_layer=2, n_head=4,
                                                      n_positions=64, attn_implementation="eager",
                                                      bos_token_id=1, eos_token_id=2),
         ["c_attn"], {}),
    ]
    for name, cls, cfg, targets, kw in jobs:
        try:
            build(name, cls, cfg(), targets, **kw)
        except Exception:
            traceback.print_exc()
            print("FAILED", name, flush=True)


def dtypes():
    """BF16/F16 tensors with their exact F32 values, for the reader's conversion tests."""
    x = torch.tensor([0.0, -0.0, 1.0, -2.5, 3.140625, 1e-3, 65504.0, -1e30, 1e-40, float("inf"),
                      float("-inf")], dtype=torch.float32)
    b = x.to(torch.bfloat16)
    h = x.clamp(-65504, 65504).to(torch.float16)
    save_file({"bf16": b, "bf16_as_f32": b.float(), "f16": h, "f16_as_f32": h.float(),
               "i64": torch.arange(-3, 3, dtype=torch.int64), "i32": torch.arange(-3, 3, dtype=torch.int32),
               "m2x3": torch.arange(6, dtype=torch.float32).reshape(2, 3)},
              os.path.join(OUT, "dtypes.safetensors"), metadata={"format": "pt"})


make_all()
dtypes()
print("done", flush=True)
