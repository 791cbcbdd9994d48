"""Why peft-core descends slower per step below ~3e-5 (issue 25 item 3): a CPU experiment (torch only, no transformers).

A small random Llama (4 layers, hidden 128, RMSNorm, causal attention without RoPE, SwiGLU; vocabulary 4,000; the
lm-head 16x TinyLlama's init std, so that a normed hidden state reaches TinyLlama's largest logits, 0.02 * 2048,
without which the loss cannot fall below ~0.2) learns a transaction-shaped task: a template, 3-15 merchant tokens
drawn from its category's pool (4 categories), then the category's 2 label tokens and EOS (the loss on those only,
token mean over the batch). LoRA r 8 alpha 16 on q,k,v,o, AdamW (no decay, eps 1e-8) at LR (env, default 1e-3; 3e-3
reaches 1e-5 in a few hundred steps here), cosine after 10 warmup steps, clipping at 1.0, batch 16. The base weights
are fp16 values (the checkpoint as written) in every mode; the LoRA weights fp32. One thread: deterministic.

Precision modes, the same seed and the same batches:
  fp32        everything fp32
  bf16        torch.autocast bf16, as HF Trainer's bf16=True
  fp16:S:G    peft-core's TrainingRun: fp16 base and activations, LoRA cast to fp16 in the forward, the loss scaled by
              S / labelled tokens, GradScaler's rules (halve and skip on overflow, double after G good steps); the
              lm-head loss and its backward as kernels.py _lm_head_chunks (fp32 softmax, (p - onehot) * 256 cast to
              fp16 for the matmul, / 256 in fp32, times the factor, to fp16)
Batch orders: buckets (peft-core's LengthBatcher: 16 batches' worth sorted by length, batches shuffled) or random.
One fp32 evaluator (200 held-out examples, token-mean cross-entropy on the label tokens) every EVERY steps, with the
relative error and cosine of this mode's unscaled LoRA gradient against the fp32 gradient of the same batch at the
same weights, and the share of the fp16 last-hidden gradient's elements below fp16's smallest normal.

  LR=3e-3 [SEED=0] python fp16_floor.py MODE ORDER STEPS [EVERY]    e.g. fp16:65536:2000 buckets 400 50
  LR=3e-3 python fp16_floor.py probe STEPS MODE...         e.g. probe 400 bf16 fp16:65536 fp16:16777216
  python fp16_floor.py pairs LOG_DIR [STEP]   buckets against random order per seed (logs named as in
                                              cpu-2026-12-06-fp16-floor/: MODE-ORDER[-seedN].txt)
probe trains fp32 for STEPS, then, for held-out tokens grouped by their fp32 loss (1e-3 down to 1e-7), compares each
mode's gradient (16 rows, a real step's loss-scale factor) with fp32's.
"""
import glob
import math
import os
import re
import statistics
import sys
import time

import torch
import torch.nn.functional as F

V, H, LAYERS, HEADS, INTER, R, ALPHA = 4000, 128, 4, 4, 344, 8, 16
CATEGORIES, POOL, LABEL_TOKENS = 4, 20, 2
torch.set_num_threads(1)
LR = float(os.environ.get("LR", "1e-3"))
SEED = int(os.environ.get("SEED", "0"))  # another random base model, LoRA init and batch order (0: the logged runs)


def make_task(seed):
    g = torch.Generator().manual_seed(seed)
    ids = torch.randperm(V - 10, generator=g) + 10
    template = ids[:8].tolist()
    pools = ids[8:8 + CATEGORIES * POOL].view(CATEGORIES, POOL)
    labels = ids[8 + CATEGORIES * POOL:8 + CATEGORIES * (POOL + LABEL_TOKENS)].view(CATEGORIES, LABEL_TOKENS)
    return template, pools, labels


def examples(n, seed, task):
    template, pools, labels = task
    g = torch.Generator().manual_seed(seed)
    out = []
    for _ in range(n):
        c = int(torch.randint(CATEGORIES, (1,), generator=g))
        m = int(torch.randint(3, 16, (1,), generator=g))
        merchant = pools[c][torch.randint(POOL, (m,), generator=g)].tolist()
        prompt = template + merchant + [3]
        out.append((prompt, labels[c].tolist() + [2]))
    return out


def collate(batch):
    t = max(len(p) + len(a) for p, a in batch)
    ids = torch.zeros(len(batch), t, dtype=torch.long)
    lab = torch.full((len(batch), t), -100, dtype=torch.long)
    for i, (p, a) in enumerate(batch):
        ids[i, :len(p) + len(a)] = torch.tensor(p + a)
        lab[i, len(p) - 1:len(p) + len(a) - 1] = torch.tensor(a)  # position j predicts token j + 1
    return ids, lab


def batches(train, order, steps, batch, seed):
    g = torch.Generator().manual_seed(seed)
    out = []
    while len(out) < steps:
        perm = torch.randperm(len(train), generator=g).tolist()
        if order == "buckets":  # LengthBatcher: 16 batches' worth sorted by length, then the batches shuffled
            epoch = []
            for s in range(0, len(perm), 16 * batch):
                chunk = sorted(perm[s:s + 16 * batch], key=lambda i: len(train[i][0]))
                epoch += [chunk[b:b + batch] for b in range(0, len(chunk), batch)]
            epoch = [epoch[i] for i in torch.randperm(len(epoch), generator=g).tolist()]
        else:
            epoch = [perm[b:b + batch] for b in range(0, len(perm), batch)]
        out += [collate([train[i] for i in b]) for b in epoch if len(b) == batch]
    return out[:steps]


class Model:
    def __init__(self, seed):
        g = torch.Generator().manual_seed(seed)
        w = lambda *s: (torch.randn(*s, generator=g) * 0.02).half().float()  # the checkpoint's fp16 values
        # the head 2048 / H times larger: the largest logit of a normed hidden state (0.02 * 2048) as in TinyLlama's
        self.emb, self.head = w(V, H), (w(V, H) * (2048 / H)).half().float()
        self.layers = [dict(q=w(H, H), k=w(H, H), v=w(H, H), o=w(H, H), gate=w(INTER, H), up=w(INTER, H),
                            down=w(H, INTER)) for _ in range(LAYERS)]
        self.lora = []
        for _ in range(LAYERS):
            for _ in "qkvo":  # PEFT's init: A kaiming-uniform, B zero
                a = torch.empty(R, H)
                torch.nn.init.kaiming_uniform_(a, a=math.sqrt(5), generator=g)
                self.lora += [a.requires_grad_(), torch.zeros(H, R, requires_grad=True)]

    def hidden(self, ids, dt):
        """The last hidden state (before the final norm) in dtype dt (autocast decides under bf16)."""
        h = self.emb.to(dt)[ids]
        t = ids.size(1)
        mask = torch.full((t, t), float("-inf")).triu(1).to(dt)
        for li, L in enumerate(self.layers):
            x = rms(h)
            proj = []
            for j, n in enumerate("qkvo"[:3]):
                a, b = self.lora[8 * li + 2 * j], self.lora[8 * li + 2 * j + 1]
                proj.append(x @ L[n].to(dt).t() + (x @ a.to(dt).t()) @ (b * (ALPHA / R)).to(dt).t())
            q, k, v = (p.view(ids.size(0), t, HEADS, H // HEADS).transpose(1, 2) for p in proj)
            att = torch.softmax((q @ k.transpose(-1, -2)) / math.sqrt(H // HEADS) + mask, -1)
            o = (att @ v).transpose(1, 2).reshape(ids.size(0), t, H)
            a, b = self.lora[8 * li + 6], self.lora[8 * li + 7]
            h = h + o @ L["o"].to(dt).t() + (o @ a.to(dt).t()) @ (b * (ALPHA / R)).to(dt).t()
            x = rms(h)
            h = h + (F.silu(x @ L["gate"].to(dt).t()) * (x @ L["up"].to(dt).t())) @ L["down"].to(dt).t()
        return h


def rms(x):
    return (x.float() * torch.rsqrt(x.float().pow(2).mean(-1, keepdim=True) + 1e-5)).to(x.dtype)


class LmHeadLoss(torch.autograd.Function):
    """kernels.py _lm_head_chunks and norm_lm_head_loss_backward: the summed loss; dx = ((p - onehot) * 256 in fp16
    @ W) / 256 in fp32, times the incoming factor, cast to x's dtype."""

    @staticmethod
    def forward(ctx, x, w, target):
        logits = (x @ w.t()).float()
        keep = target.ne(-100)
        safe = torch.where(keep, target, 0).unsqueeze(1)
        lse = torch.logsumexp(logits, 1)
        total = torch.where(keep, lse - logits.gather(1, safe).squeeze(1), 0).sum()
        p = torch.exp(logits - lse.unsqueeze(1))
        p.scatter_add_(1, safe, torch.full_like(lse, -1.0).unsqueeze(1))
        p.mul_(keep.unsqueeze(1).float() * 256.0)
        ctx.save_for_backward((p.to(x.dtype) @ w).float() / 256.0)
        ctx.dtype = x.dtype
        return total

    @staticmethod
    def backward(ctx, factor):
        (g,) = ctx.saved_tensors
        return (g * factor).to(ctx.dtype), None, None


def loss_sum(model, ids, lab, mode):
    """The summed loss over labelled tokens, and the last hidden state (kept for its gradient's statistics)."""
    target = lab.reshape(-1)  # collate put each label at the position that predicts it
    if mode == "bf16":
        with torch.autocast("cpu", dtype=torch.bfloat16):
            h = model.hidden(ids, torch.float32)
            logits = rms(h) @ model.head.t()
        return F.cross_entropy(logits.float().reshape(-1, V), target, reduction="sum"), h
    dt = torch.float16 if mode.startswith("fp16") else torch.float32
    h = model.hidden(ids, dt)
    if h.requires_grad:
        h.retain_grad()
    return LmHeadLoss.apply(rms(h).reshape(-1, H), model.head.to(dt), target), h


def evaluate(model, data):
    with torch.no_grad():
        total = count = 0.0
        for s in range(0, len(data), 50):
            ids, lab = collate(data[s:s + 50])
            total += float(loss_sum(model, ids, lab, "fp32")[0])
            count += int(lab.ne(-100).sum())
    return total / count


def gradient(model, ids, lab, mode, scale, labelled=None):
    """The unscaled LoRA gradient of the token-mean loss (over labelled tokens, or the given count) in this mode."""
    labelled = labelled or int(lab.ne(-100).sum())
    for p in model.lora:
        p.grad = None
    s, h = loss_sum(model, ids, lab, mode)
    (s * (scale / labelled)).backward()
    return [p.grad.float() / scale for p in model.lora], s.item() / labelled, h


def main(mode, order, steps, every=50):
    task = make_task(1)
    train, held = examples(20000, 42, task), examples(200, 43, task)
    model = Model(7 + SEED)
    opt = torch.optim.AdamW(model.lora, lr=LR, weight_decay=0.0, eps=1e-8)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: s / 10 if s < 10 else 0.5 * (
            1 + math.cos(math.pi * (s - 10) / max(1, steps - 10))))
    fp16 = mode.startswith("fp16")
    scale, growth = (float(mode.split(":")[1]), int(mode.split(":")[2])) if fp16 else (1.0, 0)
    good = skipped = 0
    started = time.perf_counter()
    print(f"mode {mode} order {order} steps {steps} seed {SEED} lr {LR}; torch {torch.__version__}", flush=True)
    for step, (ids, lab) in enumerate(batches(train, order, steps, 16, 42 + SEED), 1):
        grads, loss, h = gradient(model, ids, lab, mode, scale)
        if step % every == 0:
            # the fp16 last-hidden gradient, then the fp32 gradient of the same batch at the same weights
            hg = h.grad.float().abs() if h.grad is not None else torch.zeros(1)
            tiny = float(((hg < torch.finfo(torch.float16).tiny)).float().mean()) if fp16 else 0.0
            ref, _, _ = gradient(model, ids, lab, "fp32", 1.0)
            a, b = torch.cat([g.flatten() for g in grads]), torch.cat([g.flatten() for g in ref])
            cos = float(a @ b / (a.norm() * b.norm() + 1e-30))
            rel = float((a - b).norm() / (b.norm() + 1e-30))
            grads, _, _ = gradient(model, ids, lab, mode, scale)  # back to this mode's gradient for the update
        finite = all(torch.isfinite(g).all() for g in grads)
        if finite:
            for p, g in zip(model.lora, grads):
                p.grad = g
            torch.nn.utils.clip_grad_norm_(model.lora, 1.0)
            opt.step()
            good += 1
            if fp16 and good >= growth:
                scale, good = scale * 2, 0
        else:
            scale, good, skipped = scale / 2, 0, skipped + 1
        sched.step()
        if step % every == 0 or step == steps:
            print(f"step {step} train {loss:.3e} eval {evaluate(model, held):.4e} scale {scale:.0f} skipped {skipped}"
                  f" grad-cos {cos:.6f} grad-relerr {rel:.2e} last-hidden-grad<fp16-normal {tiny:.3f}"
                  f" {time.perf_counter() - started:.0f}s", flush=True)
    return model


def probe(model, data, modes, bands=((1e-3, 1e-2), (1e-4, 1e-3), (1e-5, 1e-4), (1e-6, 1e-5), (1e-7, 1e-6))):
    """At the trained weights: the gradient of each precision mode against fp32's, on the labelled tokens whose fp32
    loss lies in a band (the others masked out), i.e. the gradient a batch at that loss level gets."""
    print("band (token loss) | tokens | mean loss | " + " | ".join(f"{m} rel. error, cos" for m in modes))
    ids, lab = collate(data[:400])
    with torch.no_grad():
        logits = (rms(model.hidden(ids, torch.float32)) @ model.head.t()).float()
        tok = F.cross_entropy(logits.reshape(-1, V), lab.reshape(-1), reduction="none").view(lab.shape)
    for lo, hi in bands:
        keep = lab.ne(-100) & (tok >= lo) & (tok < hi)
        if keep.sum() == 0:
            print(f"[{lo:.0e}, {hi:.0e}) | 0 |", flush=True)
            continue
        rows = keep.any(1).nonzero().squeeze(1)[:16]  # one batch's worth of rows: the real per-element magnitudes
        i, l = ids[rows], torch.where(keep, lab, -100)[rows]
        per = 16 * (LABEL_TOKENS + 1)  # the divisor of a whole batch: a real step's loss-scale factor
        ref, _, _ = gradient(model, i, l, "fp32", 1.0, per)
        b = torch.cat([g.flatten() for g in ref])
        cells = []
        for m in modes:
            g, _, _ = gradient(model, i, l, m.split(":")[0], float(m.split(":")[1]) if ":" in m else 1.0, per)
            a = torch.cat([x.flatten() for x in g])
            cells.append(f"{float((a - b).norm() / b.norm()):.2e}, {float(a @ b / (a.norm() * b.norm())):.5f}")
        print(f"[{lo:.0e}, {hi:.0e}) | {int(keep[rows].sum())} | {float(tok[rows][keep[rows]].mean()):.2e} | " + " | ".join(cells),
              flush=True)


def pairs(log_dir, step=400):
    """The batch order's effect per precision: for each seed with both orders' logs in LOG_DIR (MODE-ORDER.txt for seed
    0, MODE-ORDER-seedN.txt; MODE with '-' for ':'), the evaluator's loss at STEP in each order and their ratio."""
    runs = {}
    for f in glob.glob(f"{log_dir}/*.txt"):
        m = re.match(r"(.+)-(buckets|random)(?:-seed(\d+))?\.txt$", os.path.basename(f))
        losses = dict(re.findall(r"^step (\d+) train \S+ eval (\S+)", open(f).read(), re.M))
        if m and str(step) in losses:
            runs[(m.group(1), m.group(2), int(m.group(3) or 0))] = float(losses[str(step)])
    for mode in sorted({k[0] for k in runs}):
        ratios = []
        for seed in sorted({k[2] for k in runs if k[0] == mode}):
            b, r = runs.get((mode, "buckets", seed)), runs.get((mode, "random", seed))
            if b is not None and r is not None:
                ratios.append(b / r)
                print(f"{mode} seed {seed}: step {step} buckets {b:.2e} random {r:.2e} buckets/random {b / r:.2f}")
        if ratios:
            print(f"{mode}: buckets above random in {sum(x > 1 for x in ratios)} of {len(ratios)} seeds, median ratio"
                  f" {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    if sys.argv[1] == "pairs":  # pairs LOG_DIR [STEP]: buckets against random order, seed by seed
        pairs(sys.argv[2], *(int(a) for a in sys.argv[3:]))
    elif sys.argv[1] == "probe":  # probe STEPS MODE...: train fp32 (buckets), then the gradient fidelity by loss band
        trained = main("fp32", "buckets", int(sys.argv[2]), 100)
        probe(trained, examples(400, 44, make_task(1)), sys.argv[3:])
    else:
        main(sys.argv[1], sys.argv[2], int(sys.argv[3]), *(int(a) for a in sys.argv[4:]))
