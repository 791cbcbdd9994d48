# TorchScript source of io.peftflow.core.nn.Kernels, compiled by libtorch at first use (see Kernels.java).
# Each method replaces several DJL calls with one, runs under autograd, and reaches kernels DJL does not expose
# (scaled_dot_product_attention, fused cross-entropy, multi-tensor optimizer updates).
class Kernels(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  def forward(self: __torch__.Kernels, x: Tensor) -> Tensor:
    return x
  def rms_norm(self: __torch__.Kernels, x: Tensor, weight: Tensor, eps: Tensor) -> Tensor:
    h = x.float()
    h = h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + eps)
    return weight * h.to(x.dtype)
  def rope(self: __torch__.Kernels, x: Tensor, cos: Tensor, signed_sin: Tensor) -> Tensor:
    # rotate_half(h) * sin == roll(h, D/2) * signed_sin (first half negated): 3 kernels instead of 5 (neg, cat)
    d = cos.size(-1)
    h = x.reshape(x.size(0), x.size(1), -1, d)
    rolled = torch.roll(h, [d // 2], [-1])
    return torch.addcmul(h.transpose(1, 2) * cos, rolled.transpose(1, 2), signed_sin)
  def causal_attention(self: __torch__.Kernels, q: Tensor, k: Tensor, v: Tensor) -> Tensor:
    o = torch.scaled_dot_product_attention(q, self._repeat_kv(k, q), self._repeat_kv(v, q), None, 0.0, True)
    return self._merge_heads(o)
  def masked_attention(self: __torch__.Kernels, q: Tensor, k: Tensor, v: Tensor, mask: Tensor) -> Tensor:
    o = torch.scaled_dot_product_attention(q, self._repeat_kv(k, q), self._repeat_kv(v, q), mask, 0.0, False)
    return self._merge_heads(o)
  def _repeat_kv(self: __torch__.Kernels, kv: Tensor, q: Tensor) -> Tensor:
    groups = q.size(1) // kv.size(1)
    if groups == 1:
      return kv
    b = kv.size(0)
    n = kv.size(1)
    s = kv.size(2)
    d = kv.size(3)
    return kv.unsqueeze(2).expand(b, n, groups, s, d).reshape(b, n * groups, s, d)
  def _merge_heads(self: __torch__.Kernels, o: Tensor) -> Tensor:
    return o.transpose(1, 2).reshape(o.size(0), o.size(2), o.size(1) * o.size(3))
  def lora(self: __torch__.Kernels, out: Tensor, x: Tensor, a: Tensor, b: Tensor, scaling: Tensor) -> Tensor:
    # scaling goes into the small [out, r] B before its cast
    return self.lora_packed(out, x, a.to(x.dtype), (b * scaling).to(x.dtype))
  def lora_packed(self: __torch__.Kernels, out: Tensor, x: Tensor, a: Tensor, bs: Tensor) -> Tensor:
    # a and bs (scaling B) already in x's dtype; addmm adds the delta to out in its matmul
    xa = torch.matmul(x, a.t())
    n = out.size(-1)
    return torch.addmm(out.reshape(-1, n), xa.reshape(-1, xa.size(-1)), bs.t()).reshape(out.size())
  def llama_layer(self: __torch__.Kernels, h: Tensor, ln1: Tensor, wqkv: Tensor, wo: Tensor, ln2: Tensor, wgu: Tensor, wd: Tensor, eps: Tensor, cos: Tensor, sin: Tensor, aq: Tensor, bq: Tensor, ak: Tensor, bk: Tensor, av: Tensor, bv: Tensor, ao: Tensor, bo: Tensor, ag: Tensor, bg: Tensor, au: Tensor, bu: Tensor, ad: Tensor, bd: Tensor) -> Tensor:
    # a whole Llama decoder layer (causal, no cache) in one call: fused q/k/v and gate/up matmuls, LoRA per target
    # (a: [r, in], b: scaling * B [out, r]; empty when the target has none)
    x = self.rms_norm(h, ln1, eps)
    qd = wo.size(1)
    kvd = (wqkv.size(0) - qd) // 2
    qkv = self._qkv_lora(torch.linear(x, wqkv), x, qd, kvd, aq, bq, ak, bk, av, bv)
    d = cos.size(-1)
    # RoPE once over the q and k heads together, then split
    qk = self.rope(qkv.narrow(-1, 0, qd + kvd), cos, sin)
    v = qkv.narrow(-1, qd + kvd, kvd)
    heads = v.reshape(v.size(0), v.size(1), -1, d).transpose(1, 2)
    att = self.causal_attention(qk.narrow(1, 0, qd // d), qk.narrow(1, qd // d, kvd // d), heads)
    h = h + self._lora_opt(torch.linear(att, wo), att, ao, bo)
    x = self.rms_norm(h, ln2, eps)
    inter = wgu.size(0) // 2
    gu = torch.linear(x, wgu)
    g = self._lora_opt(gu.narrow(-1, 0, inter), x, ag, bg)
    u = self._lora_opt(gu.narrow(-1, inter, inter), x, au, bu)
    s = torch.silu(g) * u
    return h + self._lora_opt(torch.linear(s, wd), s, ad, bd)
  def _qkv_lora(self: __torch__.Kernels, qkv: Tensor, x: Tensor, qd: int, kvd: int, aq: Tensor, bq: Tensor, ak: Tensor, bk: Tensor, av: Tensor, bv: Tensor) -> Tensor:
    # the q, k and v updates as one: x [A_q; A_k; A_v]^T times the block-diagonal of the B's (a target without one
    # contributes no rows to A and no columns to B)
    if aq.numel() + ak.numel() + av.numel() == 0:
      return qkv
    a = torch.cat([self._rows(aq, x.size(-1)), self._rows(ak, x.size(-1)), self._rows(av, x.size(-1))], 0)
    b = torch.block_diag([self._cols(bq, qd), self._cols(bk, kvd), self._cols(bv, kvd)])
    return self.lora_packed(qkv, x, a, b)
  def _rows(self: __torch__.Kernels, a: Tensor, width: int) -> Tensor:
    if a.numel() == 0:
      return a.new_zeros([0, width])
    return a
  def _cols(self: __torch__.Kernels, b: Tensor, height: int) -> Tensor:
    if b.numel() == 0:
      return b.new_zeros([height, 0])
    return b
  def _lora_opt(self: __torch__.Kernels, out: Tensor, x: Tensor, a: Tensor, bs: Tensor) -> Tensor:
    if a.numel() == 0:
      return out
    return self.lora_packed(out, x, a, bs)
  def from_bf16_bits(self: __torch__.Kernels, pairs: Tensor, like: Tensor) -> Tuple[Tensor, Tensor]:
    # int32 words each holding two little-endian bfloat16 values, decoded arithmetically in fp32 (exact), flat, cast to
    # like's dtype: TorchScript here has no view as another dtype, and DJL holds neither bf16 nor int16 arrays
    i = torch.stack([pairs & 65535, (pairs >> 16) & 65535], -1).reshape(-1)
    e = (i >> 7) & 255
    m = (i & 127).float()
    normal = (m + 128.0) * torch.exp2((e - 134).float())
    v = torch.where(e == 0, m * 9.183549615799121e-41, normal)
    v = torch.where(e == 255, torch.where(m == 0.0, torch.full_like(v, float("inf")), torch.full_like(v, float("nan"))), v)
    # also the largest finite magnitude, so the caller can refuse what the target dtype cannot hold
    biggest = torch.where(torch.isfinite(v), v, torch.zeros_like(v)).max()
    return torch.where((i >> 15) == 1, -v, v).to(like.dtype), biggest
  def pack_rows(self: __torch__.Kernels, rows: List[Tensor], scale: Tensor, like: Tensor) -> List[Tensor]:
    # one concatenation, multiply and cast for many small weights (differentiable), then views of the result
    packed = (torch.cat(rows, 0) * scale).to(like.dtype)
    sizes: List[int] = []
    for t in rows:
      sizes.append(t.size(0))
    return torch.split_with_sizes(packed, sizes, 0)
  def swiglu(self: __torch__.Kernels, gate: Tensor, up: Tensor) -> Tensor:
    return torch.silu(gate) * up
  def cast_like(self: __torch__.Kernels, x: Tensor, like: Tensor) -> Tensor:
    return x.to(like.dtype)
  def causal_lm_loss(self: __torch__.Kernels, logits: Tensor, labels: Tensor) -> Tuple[Tensor, Tensor]:
    # labels shifted left with -100 appended, as transformers' ForCausalLMLoss: the logits need no sliced copy
    v = logits.size(-1)
    target = torch.constant_pad_nd(labels[:, 1:], [0, 1], -100).reshape(-1)
    total = torch.cross_entropy_loss(logits.reshape(-1, v).float(), target, None, 2, -100, 0.0)
    return total, torch.ne(target, -100).sum()
  def gradients(self: __torch__.Kernels, loss: Tensor, params: List[Tensor]) -> List[Tensor]:
    # returned, not accumulated into .grad: no per-parameter accumulate or zeroing kernels
    grads = torch.autograd.grad([loss], params, None, None, False, True)
    out: List[Tensor] = []
    for i in range(len(params)):
      g = grads[i]
      if g is None:
        out.append(torch.zeros_like(params[i]))
      else:
        out.append(g)
    return out
  def accumulate_(self: __torch__.Kernels, total: List[Tensor], more: List[Tensor]) -> int:
    torch._foreach_add_(total, more)
    return len(total)
  def grad_norm(self: __torch__.Kernels, grads: List[Tensor]) -> Tensor:
    return torch.stack(torch._foreach_norm(grads, 2)).float().pow(2).sum().sqrt()
  def adamw_(self: __torch__.Kernels, params: List[Tensor], grads: List[Tensor], exp_avgs: List[Tensor], exp_avg_sqs: List[Tensor], decayed: List[Tensor], grad_scale: float, beta1: float, beta2: float, eps: float, decay_factor: float, step_size: float, bias_correction2_sqrt: float) -> int:
    if len(decayed) > 0:
      torch._foreach_mul_(decayed, decay_factor)
    g = torch._foreach_mul(grads, grad_scale)
    torch._foreach_lerp_(exp_avgs, g, 1.0 - beta1)
    torch._foreach_mul_(exp_avg_sqs, beta2)
    torch._foreach_addcmul_(exp_avg_sqs, g, g, 1.0 - beta2)
    denom = torch._foreach_sqrt(exp_avg_sqs)
    torch._foreach_div_(denom, bias_correction2_sqrt)
    torch._foreach_add_(denom, eps)
    torch._foreach_addcdiv_(params, exp_avgs, denom, -step_size)
    return len(params)
