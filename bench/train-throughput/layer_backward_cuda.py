"""The hand-written Llama layer backward of peft-core's kernels.py (issue 25 item 5) on CUDA, where the Java tests
cannot reach: loads kernels.py into this machine's torch as the archive Kernels.java builds, checks llama_layer_train
+ llama_layer_backward (flash attention's own backward, fp16) and norm_lm_head_loss_backward against autograd through
the same module's llama_layer / rms_norm / lm_head_loss, then times one layer's forward + backward both ways
(gpu_timing's rule, synced; autograd also with the flash attention libtorch 2.5.1 runs, where this torch picks
cuDNN's), and the host's share: the same calls issued without waiting for the GPU.
Usage: python layer_backward_cuda.py [path/to/kernels.py]; prints CHECK and TIME lines."""
import io, sys, zipfile
from typing import List
import torch
from torch.nn.attention import SDPBackend, sdpa_kernel
from gpu_timing import timed

SRC = sys.argv[1] if len(sys.argv) > 1 else "peft-core/src/main/resources/io/peftflow/core/nn/kernels.py"


def load_kernels(path):
    # the archive of Kernels.archive(): pickled state of __torch__.Kernels {'training': True}, the source, no constants
    state = b"\x80\x02c__torch__\nKernels\n)\x81}X\x08\x00\x00\x00training\x88sb."
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("kernels/data.pkl", state)
        z.writestr("kernels/code/__torch__.py", open(path, "rb").read())
        z.writestr("kernels/constants.pkl", b"\x80\x02).")
        z.writestr("kernels/version", b"3\n")
    buf.seek(0)
    return torch.jit.load(buf)


class Both(torch.nn.Module):
    """llama_layer_train then llama_layer_backward in one scripted call, so that the saved activations stay inside
    TorchScript as they do under DJL (the CUDA flash kernel's undefined sequence bounds have no Python form)."""

    def __init__(self, k):
        super().__init__()
        self.k = k

    def forward(self, dout: torch.Tensor, h: torch.Tensor, f: List[torch.Tensor], a: List[torch.Tensor]) -> List[torch.Tensor]:
        out = self.k.llama_layer_train(h, f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], a[0], a[1], a[2],
                                       a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13])
        grads = self.k.llama_layer_backward(dout, h, f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], out[1],
                                            a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11],
                                            a[12], a[13])
        return [out[0]] + grads


def shape_inputs(b, t, hidden, heads, kv, inter, r, targets, dev, dt):
    d = hidden // heads
    g = torch.Generator(device="cpu").manual_seed(0)
    rnd = lambda *s, std=0.02: (torch.randn(*s, generator=g) * std).to(dev, dt)
    w = dict(ln1=1 + rnd(hidden, std=0.1), wqkv=rnd((heads + 2 * kv) * d, hidden), wo=rnd(hidden, heads * d),
             ln2=1 + rnd(hidden, std=0.1), wgu=rnd(2 * inter, hidden), wd=rnd(hidden, inter))
    pos = torch.arange(t, dtype=torch.float32)
    inv = 1.0 / (10000 ** (torch.arange(0, d, 2, dtype=torch.float32) / d))
    f = pos[:, None] * inv[None]
    cos = torch.cat([f, f], -1).cos()[None, None].to(dev, dt)
    sin = torch.cat([-f.sin(), f.sin()], -1)[None, None].to(dev, dt)
    outs = {"q": heads * d, "k": kv * d, "v": kv * d, "o": hidden, "gate": inter, "up": inter, "down": hidden}
    ins = {"q": hidden, "k": hidden, "v": hidden, "o": heads * d, "gate": hidden, "up": hidden, "down": inter}
    lora = []
    for name in ["q", "k", "v", "o", "gate", "up", "down"]:
        if name in targets:
            lora += [rnd(r, ins[name], std=0.05).requires_grad_(), rnd(outs[name], r, std=0.05).requires_grad_()]
        else:
            lora += [torch.empty(0, device=dev, dtype=dt), torch.empty(0, device=dev, dtype=dt)]
    h = rnd(b, t, hidden, std=1.0)
    eps = torch.tensor(1e-5, device=dev, dtype=dt)
    fixed = [w["ln1"], w["wqkv"], w["wo"], w["ln2"], w["wgu"], w["wd"], eps, cos, sin]
    return h, fixed, lora


def rel(a, b):
    return ((a.float() - b.float()).abs().max() / b.float().abs().max().clamp_min(1e-30)).item()


def check(k, both, name, **shape):
    h, fixed, lora = shape_inputs(**shape)
    dout = torch.randn(h.shape, device=h.device, generator=None).to(h.dtype)
    hg = h.clone().requires_grad_()
    out = k.llama_layer(hg, *fixed, *lora)
    params = [hg] + [p for p in lora if p.numel() > 0]
    want = torch.autograd.grad([out], params, [dout])
    with torch.inference_mode():
        got = both(dout, h, fixed, [p.detach() for p in lora])
    out2 = got[0]
    got = [got[1]] + [got[2 + i] for i, p in enumerate(lora) if p.numel() > 0]
    errs = [rel(out2, out)] + [rel(g, w) for g, w in zip(got, want)]
    print(f"CHECK layer {name}: output {errs[0]:.2e}, dh {errs[1]:.2e}, LoRA grads max {max(errs[2:]):.2e}", flush=True)
    # final norm + chunked LM-head loss with its gradient
    vocab = 1000
    wl = (torch.randn(vocab, h.shape[-1], device=h.device) * 0.02).to(h.dtype)
    labels = torch.randint(0, vocab, h.shape[:2], device=h.device)
    labels[:, :3] = -100
    rows = torch.tensor(97)
    hg = h.clone().requires_grad_()
    total, count = k.lm_head_loss(k.rms_norm(hg, fixed[0], fixed[6]), wl, labels, rows)
    factor = torch.tensor(0.5, device=h.device)
    (want_dh,) = torch.autograd.grad([total * factor], [hg])
    with torch.inference_mode():
        got_loss, got_count, got_dh = k.norm_lm_head_loss_backward(h, fixed[0], fixed[6], wl, labels, rows, factor)
    print(f"CHECK head {name}: loss {rel(got_loss, total):.2e}, count {int(got_count)} / {int(count)}, "
          f"dh {rel(got_dh, want_dh):.2e}", flush=True)


def timing(k, both, name, **shape):
    h, fixed, lora = shape_inputs(**shape)
    dout = torch.randn(h.shape, device=h.device).to(h.dtype)
    params = [p for p in lora if p.numel() > 0]
    leaf = h.clone().requires_grad_()

    def autograd():
        out = k.llama_layer(leaf, *fixed, *lora)
        return torch.autograd.grad([out], [leaf] + params, [dout])

    plain = [p.detach() for p in lora]

    def by_hand():
        with torch.inference_mode():
            return both(dout, h, fixed, plain)

    def autograd_flash():
        # the attention backend libtorch 2.5.1 (peft-core's) runs; this torch would pick cuDNN's
        with sdpa_kernel([SDPBackend.FLASH_ATTENTION]):
            return autograd()

    for label, fn in [("autograd", autograd), ("autograd, flash attention", autograd_flash),
                      ("hand-written", by_hand)] * 2:
        print(f"TIME layer {name} {label}: synced {timed(fn, 10):.3f} ms, issue {timed(fn, 10, sync=False):.3f} ms",
              flush=True)


if __name__ == "__main__":
    print(torch.__version__, torch.cuda.get_device_name(0), flush=True)
    k = load_kernels(SRC)
    both = torch.jit.script(Both(k))
    dev, dt = "cuda", torch.float16
    check(k, both, "gqa all-7", b=2, t=40, hidden=256, heads=8, kv=2, inter=512, r=8,
          targets={"q", "k", "v", "o", "gate", "up", "down"}, dev=dev, dt=dt)
    check(k, both, "mha q,v,down", b=3, t=33, hidden=256, heads=2, kv=2, inter=384, r=4, targets={"q", "v", "down"},
          dev=dev, dt=dt)
    tiny = dict(b=8, t=512, hidden=2048, heads=32, kv=4, inter=5632, r=16, targets={"q", "k", "v", "o"}, dev=dev,
                dt=dt)
    timing(k, both, "TinyLlama 8x512 LoRA q,k,v,o", **tiny)
    timing(k, both, "7B 4x1024 LoRA q,k,v,o", b=4, t=1024, hidden=4096, heads=32, kv=32, inter=11008, r=16,
           targets={"q", "k", "v", "o"}, dev=dev, dt=dt)
