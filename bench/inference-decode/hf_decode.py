"""HF peer of peft-core's DecodeBench (issue 23's GPU decode benchmark): greedy decode tokens/s of transformers'
generate with the same PEFT LoRA adapters, in its best configuration: a static KV cache and torch.compile (generate's
own: with a static cache it compiles the decoding steps, here with CompileConfig(fullgraph=True, mode="reduce-overhead"),
i.e. CUDA graphs), the adapter merged into the base (merge_and_unload) at batch 1.
Same checkpoint, same prompt ids (the formula DecodeBench uses), fixed output lengths (min_new_tokens =
max_new_tokens, no stop token), fp16 on CUDA. Each case: warm-up runs (compilation and CUDA-graph capture happen
there), then timed runs of one whole generate call (prefill included), tokens/s = batch x new tokens / seconds.
Usage:
  python hf_decode.py adapters CKPT OUT_DIR       writes adapter-0..7 (r=16 alpha=32 on q,k,v,o, seeded A and B)
  python hf_decode.py bench CKPT ADAPTERS_DIR     cases from $HF_CASES (default b32,b1-merged), RESULT lines
  python hf_decode.py summary LOG                 every round, medians and ratios of the gpu-decode.sh log
Cases: b32 (adapter 0 unmerged, compiled), b32-mixed8 (row r through adapter r % 8 via PEFT's adapter_names;
PEFT's mixed batches do not compile, so eager with the static cache), b1-merged and b32-merged (merged, compiled; run
after the unmerged ones because merging is in place). Environment: PROMPT=64 NEW=128 WARMUP=2 RUNS=3."""
import os, re, statistics, sys, time

ADAPTERS = 8
PROMPT = int(os.environ.get("PROMPT", 64))
NEW = int(os.environ.get("NEW", 128))
WARMUP = int(os.environ.get("WARMUP", 2))
RUNS = int(os.environ.get("RUNS", 3))
TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj"]


def prompts(batch, vocab):
    """DecodeBench.prompts: row r, position i holds 3 + (r * 7919 + i * 104729) mod (vocab - 3)."""
    return [[3 + (r * 7919 + i * 104729) % (vocab - 3) for i in range(PROMPT)] for r in range(batch)]


def device():
    import torch
    return "cuda" if torch.cuda.is_available() else "cpu"


def load_base(ckpt):
    import torch
    from transformers import AutoModelForCausalLM
    dtype = torch.float16 if device() == "cuda" else torch.float32
    return AutoModelForCausalLM.from_pretrained(ckpt, dtype=dtype, attn_implementation="sdpa").to(device()).eval()


def write_adapters(ckpt, out):
    import torch
    from peft import LoraConfig, get_peft_model
    cfg = LoraConfig(r=16, lora_alpha=32, target_modules=TARGETS, lora_dropout=0.0, task_type="CAUSAL_LM")
    model = get_peft_model(load_base(ckpt), cfg, adapter_name="adapter-0")
    for i in range(1, ADAPTERS):
        model.add_adapter(f"adapter-{i}", cfg)
    for i in range(ADAPTERS):
        # B starts at zero (a no-op adapter); seeded noise in A and B makes every adapter act
        g = torch.Generator().manual_seed(i)
        with torch.no_grad():
            for name, p in model.named_parameters():
                if f".adapter-{i}." in name:
                    p.copy_(torch.randn(p.shape, generator=g) * 0.02)
    # adapters other than "default" go to OUT/<name>
    model.save_pretrained(out, selected_adapters=[f"adapter-{i}" for i in range(ADAPTERS)])
    print(f"RESULT adapters {out}: {ADAPTERS} x LoRA r=16 alpha=32 on {','.join(TARGETS)}", flush=True)


def compile_config(fullgraph):
    """transformers' own compilation: with a static cache, generate compiles the model's __call__ for the decoding
    steps (on CUDA) with this config; mode reduce-overhead is CUDA graphs."""
    from transformers import CompileConfig
    return CompileConfig(fullgraph=fullgraph, mode="reduce-overhead")


def run(label, model, batch, vocab, **kw):
    """Warm-up then timed generate calls; with compile, fullgraph first and, should tracing fail, without it."""
    import torch
    ids = torch.tensor(prompts(batch, vocab), device=device())
    inner = model.get_base_model() if hasattr(model, "get_base_model") else model
    fullgraph = not kw.get("disable_compile", False)
    rates, out = [], None
    i = 0
    while i < WARMUP + RUNS:
        if device() == "cuda":
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        try:
            out = model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), max_new_tokens=NEW,
                                 min_new_tokens=NEW, do_sample=False, cache_implementation="static", pad_token_id=0,
                                 compile_config=compile_config(fullgraph), **kw)
        except Exception as e:  # a graph break under fullgraph: transformers' default (fullgraph off) instead
            if not fullgraph or i > 0:
                raise
            print(f"{label}: fullgraph compile failed ({type(e).__name__}: {str(e)[:200]}); fullgraph off", flush=True)
            torch._dynamo.reset()
            fullgraph = False
            continue
        if device() == "cuda":
            torch.cuda.synchronize()
        secs = time.perf_counter() - t0
        new = out.shape[1] - ids.shape[1]
        if i >= WARMUP:
            rates.append(batch * new / secs)
        else:
            print(f"warm-up {label} {i + 1}: {secs:.2f} s", flush=True)
        i += 1
    compiled = getattr(inner, "_compiled_call", None) is not None and not kw.get("disable_compile", False)
    note = (f"compile=reduce-overhead,fullgraph={fullgraph}" if compiled else "compile=no") + ",static-cache"
    first = ",".join(str(t) for t in out[0, PROMPT:PROMPT + 8].tolist())
    print(f"RESULT decode impl=hf case={label} batch={batch} prompt={PROMPT} new={new} "
          f"tokens_per_s={statistics.median(rates):.1f} runs={','.join(f'{r:.1f}' for r in rates)} "
          f"first_tokens=[{first}] {note}", flush=True)


def bench(ckpt, adapters):
    import torch, transformers, peft
    from peft import PeftModel
    cases = os.environ.get("HF_CASES", "b32,b1-merged").split(",")
    torch.manual_seed(0)
    base = load_base(ckpt)
    vocab = base.config.vocab_size
    print(f"RESULT setup hf: torch {torch.__version__} transformers {transformers.__version__} peft {peft.__version__}"
          f" on {torch.cuda.get_device_name() if device() == 'cuda' else 'cpu'}, {base.dtype}, prompt {PROMPT},"
          f" {NEW} new tokens, {WARMUP} warm-up + {RUNS} timed runs per case", flush=True)
    model = PeftModel.from_pretrained(base, os.path.join(adapters, "adapter-0"), adapter_name="adapter-0")
    if "b32-mixed8" in cases:
        for i in range(1, ADAPTERS):
            model.load_adapter(os.path.join(adapters, f"adapter-{i}"), adapter_name=f"adapter-{i}")
        model.set_adapter("adapter-0")
        # PEFT's per-row adapter_names hooks do not trace: this case runs eager (static cache)
        names = [f"adapter-{r % ADAPTERS}" for r in range(32)]
        run("b32-mixed8", model, 32, vocab, adapter_names=names, disable_compile=True)
    if "b32" in cases:
        run("b32", model, 32, vocab)
    merged_cases = [c for c in cases if c.endswith("-merged")]
    if merged_cases:
        for i in range(1, ADAPTERS):
            if f"adapter-{i}" in model.peft_config:
                model.delete_adapter(f"adapter-{i}")
        merged = model.merge_and_unload()
        for c in merged_cases:
            run(c, merged, 1 if c.startswith("b1") else 32, vocab)


def summary(log):
    """Per (impl, case) every round's median tokens/s, the median over rounds, and the goal ratios. gpu-decode.sh's
    contenders other than hf and core (core-opt, base) count as impl peft-core/<contender>."""
    rounds = {}
    for line in open(log):
        m = re.search(r"RESULT decode impl=(\S+) case=(\S+) .*?tokens_per_s=([\d.]+)", line)
        if m:
            contender = re.match(r"\[(\S+)-r\d+\] ", line)
            impl = m.group(1)
            if contender and contender.group(1) not in ("hf", "core"):
                impl = f"{impl}/{contender.group(1)}"
            rounds.setdefault((impl, m.group(2)), []).append(float(m.group(3)))
    med = {k: statistics.median(v) for k, v in rounds.items()}
    print(f"SUMMARY (hf_decode.py summary, from {log}): tokens/s per round (each the median of its timed runs)")
    for (impl, case), vals in sorted(rounds.items()):
        print(f"  {impl:9s} {case:12s} rounds {' / '.join(f'{v:,.1f}' for v in vals)}; median {med[(impl, case)]:,.1f}")

    def ratio(text, a, b, goal):
        if a in med and b in med:
            print(f"  {text}: {med[a] / med[b]:.2f}x (goal {goal})")
    ratio("batch 1, peft-core merged / HF merged+compiled", ("peft-core", "b1-merged"), ("hf", "b1-merged"), ">= 1.0x")
    ratio("batch 32, peft-core / HF compiled, one adapter unmerged", ("peft-core", "b32"), ("hf", "b32"), ">= 1.5x")
    ratio("batch 32, peft-core / HF merged+compiled", ("peft-core", "b32"), ("hf", "b32-merged"), "info")
    ratio("batch 32, peft-core 8 adapters in one batch / one adapter", ("peft-core", "b32-mixed8"),
          ("peft-core", "b32"), ">= 0.8x")
    ratio("batch 32, HF 8 adapters (eager) / HF one adapter (compiled)", ("hf", "b32-mixed8"), ("hf", "b32"), "info")
    for impl, case in sorted(med):
        if impl.startswith("peft-core/"):
            ratio(f"{case}, {impl} / peft-core", (impl, case), ("peft-core", case), "A/B")
    for impl in sorted({i for i, _ in med if i.startswith("peft-core/")}):
        ratio(f"batch 1, {impl} merged / HF merged+compiled", (impl, "b1-merged"), ("hf", "b1-merged"), ">= 1.0x")
        ratio(f"batch 32, {impl} / HF compiled, one adapter unmerged", (impl, "b32"), ("hf", "b32"), ">= 1.5x")
        ratio(f"batch 32, {impl} 8 adapters in one batch / one adapter", (impl, "b32-mixed8"), (impl, "b32"),
              ">= 0.8x")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "adapters":
        write_adapters(sys.argv[2], sys.argv[3])
    elif cmd == "bench":
        bench(sys.argv[2], sys.argv[3])
    elif cmd == "summary":
        summary(sys.argv[2])
    else:
        sys.exit(__doc__)
