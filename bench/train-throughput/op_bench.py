"""Per-operation GPU timings in this machine's torch at the benchmark shapes, the peer of peft-core's OpBench
(peft-core/src/test/java/io/peftflow/core/bench/OpBench.java): the 7B shape's GEMMs (forward and input gradient),
causal SDPA forward and backward at both shapes (the default backend, then each backend forced, with the kernel
names the profiler sees), and one HF LlamaDecoderLayer with PEFT LoRA r=16 on q,k,v,o forward and backward, in
fp16 and bf16 (autocast, as peft_bench.py runs it). Same timing rule as OpBench: median ms per call over 7 batches.
Usage: python op_bench.py; prints OP lines."""
import torch
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel
from transformers import LlamaConfig
from transformers.models.llama.modeling_llama import LlamaDecoderLayer, LlamaRotaryEmbedding
from peft import LoraConfig, inject_adapter_in_model
from gpu_timing import timed

torch.manual_seed(0)




def report(what, ms, flop):
    print(f"OP torch {torch.__version__:<12} {what:<60} {ms:8.3f} ms  {flop / ms / 1e9:6.1f} TFLOP/s", flush=True)


def kernels(fn):
    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CUDA]) as p:
        fn()
        torch.cuda.synchronize()
    return sorted({e.name[:90] for e in p.events() if e.device_type == torch.autograd.DeviceType.CUDA})


def gemms(dt):
    n = 4096
    for name, (i, o) in {"qkv": (4096, 12288), "o": (4096, 4096), "gate_up": (4096, 22016), "down": (11008, 4096),
                         "lm_head": (4096, 32000)}.items():
        x = torch.randn(n, i, device="cuda", dtype=dt)
        w = torch.randn(o, i, device="cuda", dtype=dt) * 0.02
        dy = torch.randn(n, o, device="cuda", dtype=dt)
        flop = 2.0 * n * i * o
        report(f"{dt} gemm {name} fwd [{n}x{i}]x[{i}x{o}]", timed(lambda: F.linear(x, w), 20), flop)
        report(f"{dt} gemm {name} dgrad [{n}x{o}]x[{o}x{i}]", timed(lambda: dy @ w, 20), flop)


def attention(dt, shape, b, h, kv, t, d):
    q = torch.randn(b, h, t, d, device="cuda", dtype=dt, requires_grad=True)
    k = torch.randn(b, kv, t, d, device="cuda", dtype=dt, requires_grad=True)
    v = torch.randn(b, kv, t, d, device="cuda", dtype=dt, requires_grad=True)
    g = torch.randn(b, h, t, d, device="cuda", dtype=dt)
    flop = 4.0 * b * h * t * t * d / 2
    for name, backends in [("default", None), ("flash", [SDPBackend.FLASH_ATTENTION]),
                           ("cudnn", [SDPBackend.CUDNN_ATTENTION]), ("efficient", [SDPBackend.EFFICIENT_ATTENTION])]:
        def fwd():
            return F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=kv != h)

        def both():
            o = fwd()
            return torch.autograd.grad(o, [q, k, v], g)
        try:
            with (sdpa_kernel(backends) if backends else torch.enable_grad()):
                report(f"{dt} sdpa {shape} {name} fwd", timed(fwd, 20), flop)
                report(f"{dt} sdpa {shape} {name} fwd+bwd", timed(both, 10), flop * 3.5)
                if name == "default":
                    print(f"KERNELS {dt} sdpa {shape} default fwd+bwd: {kernels(both)}", flush=True)
        except RuntimeError as e:
            print(f"OP torch {dt} sdpa {shape} {name}: not available ({str(e).splitlines()[0][:100]})", flush=True)


def layer(dt, shape, b, t, hidden, heads, kv, inter):
    cfg = LlamaConfig(hidden_size=hidden, intermediate_size=inter, num_attention_heads=heads, num_key_value_heads=kv,
                      num_hidden_layers=1, rms_norm_eps=1e-5, vocab_size=32000, max_position_embeddings=4096)
    cfg._attn_implementation = "sdpa"
    with torch.device("cuda"):
        lay = LlamaDecoderLayer(cfg, 0).to(dt)
        rope = LlamaRotaryEmbedding(cfg)
    lay = inject_adapter_in_model(LoraConfig(r=16, lora_alpha=32, target_modules=["q_proj", "k_proj", "v_proj",
                                                                                  "o_proj"]), lay)
    for n, p in lay.named_parameters():
        p.requires_grad_("lora_" in n)
        if "lora_" in n:
            p.data = p.data.float()   # PEFT keeps adapters in fp32 (autocast_adapter_dtype)
            torch.nn.init.normal_(p, 0, 0.02)
    h = torch.randn(b, t, hidden, device="cuda", dtype=dt, requires_grad=True)
    g = torch.randn(b, t, hidden, device="cuda", dtype=dt)
    pos = torch.arange(t, device="cuda")[None]
    cos_sin = rope(h, pos)
    leaves = [h] + [p for p in lay.parameters() if p.requires_grad]
    weights = hidden * (hidden + 2 * kv * (hidden // heads)) + hidden * hidden + 3 * hidden * inter
    flop = 2.0 * b * t * weights

    def fwd():
        with torch.autocast("cuda", dtype=dt):
            out = lay(h, position_embeddings=cos_sin, position_ids=pos)
        return out[0] if isinstance(out, tuple) else out

    def both():
        return torch.autograd.grad(fwd(), leaves, g)
    with torch.no_grad():
        report(f"{dt} layer {shape} fwd", timed(fwd, 5), flop)
    report(f"{dt} layer {shape} fwd+bwd", timed(both, 5), 2 * flop)
    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CUDA]) as p:
        both()
        torch.cuda.synchronize()
    n = sum(1 for e in p.events() if e.device_type == torch.autograd.DeviceType.CUDA)
    print(f"KERNELS {dt} layer {shape} fwd+bwd: {n} kernel launches", flush=True)


print(f"torch {torch.__version__} cuda {torch.version.cuda} cudnn {torch.backends.cudnn.version()}"
      f" {torch.cuda.get_device_name()}", flush=True)
for dt in (torch.float16, torch.bfloat16):
    gemms(dt)
    attention(dt, "7b", 4, 32, 32, 1024, 128)
    attention(dt, "tinyllama", 8, 32, 4, 512, 64)
    layer(dt, "7b", 4, 1024, 4096, 32, 32, 11008)
    layer(dt, "tinyllama", 8, 512, 2048, 32, 4, 5632)
