"""Writes a random Llama-2-7B-shaped checkpoint for the 7B benchmark: config.json and sharded bf16 safetensors
(model-0000i-of-0000n.safetensors + model.safetensors.index.json, as save_pretrained lays them out), weights drawn on
the GPU (std 0.02, norms 1), one shard in host memory at a time.
Usage: python make_llama7b.py OUT_DIR [layers=32]"""
import json, os, sys, time
import torch
from safetensors.torch import save_file

out = sys.argv[1]
layers = int(sys.argv[2]) if len(sys.argv) > 2 else 32
hidden, inter, vocab, heads = 4096, 11008, 32000, 32
cfg = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": vocab, "hidden_size": hidden,
       "intermediate_size": inter, "num_hidden_layers": layers, "num_attention_heads": heads,
       "num_key_value_heads": heads, "max_position_embeddings": 4096, "rms_norm_eps": 1e-5, "rope_theta": 10000.0,
       "hidden_act": "silu", "tie_word_embeddings": False, "torch_dtype": "bfloat16", "bos_token_id": 1,
       "eos_token_id": 2}
shapes = [("model.embed_tokens.weight", (vocab, hidden))]
for i in range(layers):
    p = f"model.layers.{i}."
    shapes += [(p + "input_layernorm.weight", (hidden,)), (p + "post_attention_layernorm.weight", (hidden,))]
    shapes += [(p + f"self_attn.{n}_proj.weight", (hidden, hidden)) for n in "qkvo"]
    shapes += [(p + "mlp.gate_proj.weight", (inter, hidden)), (p + "mlp.up_proj.weight", (inter, hidden)),
               (p + "mlp.down_proj.weight", (hidden, inter))]
shapes += [("model.norm.weight", (hidden,)), ("lm_head.weight", (vocab, hidden))]
limit = 5 * 10**9  # bytes per shard, as save_pretrained's default max_shard_size
shards, size = [[]], 0
for name, shape in shapes:
    n = 2 * torch.Size(shape).numel()
    if size + n > limit and shards[-1]:
        shards.append([])
        size = 0
    shards[-1].append((name, shape))
    size += n
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)
t0 = time.time()
weight_map, total = {}, 0
for k, shard in enumerate(shards):
    file = f"model-{k + 1:05d}-of-{len(shards):05d}.safetensors"
    tensors = {}
    for name, shape in shard:
        t = torch.ones(shape, dtype=torch.bfloat16, device="cuda") if name.endswith("norm.weight") else \
            (torch.randn(shape, device="cuda") * 0.02).to(torch.bfloat16)
        tensors[name] = t.cpu()
        weight_map[name] = file
        total += 2 * t.numel()
    save_file(tensors, os.path.join(out, file), metadata={"format": "pt"})
    del tensors
with open(os.path.join(out, "model.safetensors.index.json"), "w") as f:
    json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2)
with open(os.path.join(out, "config.json"), "w") as f:
    json.dump(cfg, f, indent=2)
print(f"RESULT checkpoint {out}: {len(shapes)} tensors, {total / 1e9:.2f} GB bf16 in {len(shards)} shards,"
      f" written in {time.time() - t0:.1f} s", flush=True)
