"""HF PEFT peer of peft-core's TrainThroughputBench: TinyLlama-1.1B shape, random weights, LoRA r=16 alpha=32 on
q,k,v,o, batch 8 x 512 random tokens (all labelled), torch's fused AdamW (HF Trainer 5's default optimizer,
adamw_torch_fused; runs before 2026-12-07 20:30 UTC used torch's foreach default), adapters in fp32 (PEFT's
autocast_adapter_dtype), autocast + GradScaler for fp16. A mode ending in -compile runs the model through
torch.compile (Inductor's default mode, what HF Trainer's torch_compile=True does), one ending in -reduce-overhead
through torch.compile's reduce-overhead mode (Inductor with CUDA graphs, HF Trainer's torch_compile_mode=
"reduce-overhead"); compilation and graph capture fall in the warm-up steps, whose time the RESULT line gives.
With a checkpoint directory: that model instead, loaded by from_pretrained straight to the GPU in the mode's dtype
(load time and host peak RSS printed), at the given batch and sequence length.
Usage: python peft_bench.py bf16-sdpa|fp16-sdpa[-compile|-reduce-overhead]|fp16-eager|fp32-eager [steps]
[warmup] [model_dir batch seq]; prints RESULT lines."""
import resource, sys, time, statistics
import torch
import transformers, peft
from transformers import LlamaConfig, LlamaForCausalLM
from peft import LoraConfig, get_peft_model

mode = sys.argv[1]
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 20
warmup = int(sys.argv[3]) if len(sys.argv) > 3 else 5
dtype = {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}[mode.split("-")[0]]
attn = mode.split("-")[1]
compile_mode = {"": None, "compile": "default", "reduce-overhead": "reduce-overhead"}["-".join(mode.split("-")[2:])]
model_dir = sys.argv[4] if len(sys.argv) > 4 else None
batch = int(sys.argv[5]) if len(sys.argv) > 5 else 8
seq = int(sys.argv[6]) if len(sys.argv) > 6 else 512
torch.manual_seed(0)
cfg = LlamaConfig(vocab_size=32000, hidden_size=2048, intermediate_size=5632, num_hidden_layers=22,
                  num_attention_heads=32, num_key_value_heads=4, max_position_embeddings=2048, rms_norm_eps=1e-5,
                  tie_word_embeddings=False)
cfg._attn_implementation = attn
if model_dir:
    t0 = time.perf_counter()
    model = LlamaForCausalLM.from_pretrained(model_dir, dtype=dtype, attn_implementation=attn, device_map="cuda")
    torch.cuda.synchronize()
    print(f"RESULT load {model_dir} to cuda {dtype}: {time.perf_counter() - t0:.1f} s, host peak RSS"
          f" {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MiB", flush=True)
else:
    with torch.device("cuda"):
        model = LlamaForCausalLM(cfg).to(dtype)
model = get_peft_model(model, LoraConfig(r=16, lora_alpha=32, target_modules=["q_proj", "k_proj", "v_proj", "o_proj"],
                                         lora_dropout=0.0, task_type="CAUSAL_LM"))
params = [p for p in model.parameters() if p.requires_grad]
if compile_mode:
    model = torch.compile(model, mode=compile_mode)
opt = torch.optim.AdamW(params, lr=1e-4, fused=True)
scaler = torch.amp.GradScaler("cuda", enabled=dtype == torch.float16)
ids = torch.randint(0, model.config.vocab_size, (steps + warmup, batch, seq), device="cuda")
torch.cuda.reset_peak_memory_stats()
times, losses = [], []
for i in range(steps + warmup):
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    with torch.autocast("cuda", dtype=dtype, enabled=dtype != torch.float32):
        loss = model(input_ids=ids[i], labels=ids[i]).loss
    scaler.scale(loss).backward()
    scaler.unscale_(opt)
    torch.nn.utils.clip_grad_norm_(params, 1.0)
    scaler.step(opt)
    scaler.update()
    opt.zero_grad(set_to_none=True)
    losses.append(loss.item())
    torch.cuda.synchronize()
    times.append(time.perf_counter() - t0)
m = times[warmup:]
trainable = sum(p.numel() for p in params)
print(f"RESULT hf-peft {mode}: peft {peft.__version__} transformers {transformers.__version__} torch {torch.__version__};"
      f" trainable {trainable:,}; batch {batch} x {seq}; {steps} steps after {warmup} warmup:"
      f" {steps * batch * seq / sum(m):.0f} tokens/s, warm-up {sum(times[:warmup]):.1f} s,"
      f" median {statistics.median(m) * 1e3:.1f} ms/step, peak allocated {torch.cuda.max_memory_allocated() / 2**30:.2f}"
      f" GiB, peak reserved {torch.cuda.max_memory_reserved() / 2**30:.2f} GiB, loss {losses[0]:.3f} -> {losses[-1]:.3f},"
      f" host peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MiB",
      flush=True)
