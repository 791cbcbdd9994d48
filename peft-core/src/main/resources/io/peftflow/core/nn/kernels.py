# TorchScript source of io.peftflow.core.nn.Kernels, compiled by libtorch at first use (see Kernels.java).
# Each method replaces several DJL calls with one, runs under autograd, and reaches kernels DJL does not expose
# (scaled_dot_product_attention, fused cross-entropy, multi-tensor optimizer updates).
class Kernels(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  def forward(self: __torch__.Kernels, x: Tensor) -> Tensor:
    return x
  def _dense(self: __torch__.Kernels, x: Tensor, w: Tensor) -> Tensor:
    # x @ w.T. On the CPU in fp32 with autograd off (inference, scoring, evaluation): oneDNN's matmul, which uses
    # AVX-512 where the CPU has it, where aten's linear calls MKL's sgemm, which on AMD EPYC runs its AVX2 path (on a
    # Zen 5 core: a 16-input classify pass 19.0 -> 16.4 ms of CPU, inference-service 1.22x the requests/s through the
    # gateway; docs/BENCHMARKS.md). Training keeps torch.linear: oneDNN's op has no autograd formula, and its last-bit
    # differences would change a CPU run's trajectory against the recorded curves.
    if x.is_cpu and x.dtype == 6 and not torch.is_grad_enabled():
      return ops.mkldnn._linear_pointwise(x, w, None, "none", annotate(List[Optional[number]], []), "")
    return torch.linear(x, w)
  def rms_norm(self: __torch__.Kernels, x: Tensor, weight: Tensor, eps: Tensor) -> Tensor:
    return self.rms_norm_r(x, weight, eps)[0]
  def rms_norm_r(self: __torch__.Kernels, x: Tensor, weight: Tensor, eps: Tensor) -> Tuple[Tensor, Tensor]:
    # the norm and 1/rms(x) [..., 1] (fp32), which the hand-written backward reads
    if x.dtype == 6:  # float32
      r = torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps)
      return weight * (x * r), r
    # half precision: the mean square accumulates in fp32 straight from x (one reduction, no widened copy of x) and
    # the scaling runs in x's dtype, about a quarter of the memory traffic of normalising an fp32 copy, both ways
    ms = torch.linalg_vector_norm(x, 2.0, [-1], True, dtype=6).pow(2) / x.size(-1)
    r = torch.rsqrt(ms + eps)
    return weight * (x * r.to(x.dtype)), r
  def rope(self: __torch__.Kernels, x: Tensor, cos: Tensor, signed_sin: Tensor) -> Tensor:
    # rotate_half(h) * sin == roll(h, D/2) * signed_sin (first half negated): 3 kernels instead of 5 (neg, cat)
    d = cos.size(-1)
    h = x.reshape(x.size(0), x.size(1), -1, d)
    rolled = torch.roll(h, [d // 2], [-1])
    return torch.addcmul(h.transpose(1, 2) * cos, rolled.transpose(1, 2), signed_sin)
  def causal_attention(self: __torch__.Kernels, q: Tensor, k: Tensor, v: Tensor) -> Tensor:
    # grouped-query heads go to the kernel as they are (enable_gqa): no repeated K/V copy and no reduction of its
    # gradient back to the KV heads
    # one query (a decode step) sees every key: is_causal would align it with the first key instead of the last
    o = torch.scaled_dot_product_attention(q, k, v, None, 0.0, q.size(2) > 1, enable_gqa=q.size(1) != k.size(1))
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
    if a.dim() == 3:
      # one pair per row (mixed adapters): [B, T, in] x [B, in, r] x [B, r, out]
      return torch.baddbmm(out, torch.bmm(x, a), bs)
    if a.numel() == 0:
      return out
    # out + (x A^T) B^T for [r, in] / [out, r] pairs (an empty A: none)
    xa = torch.matmul(x, a.t())
    return torch.addmm(out.reshape(-1, out.size(-1)), xa.reshape(-1, xa.size(-1)), bs.t()).reshape(out.size())
  def _linear_lora(self: __torch__.Kernels, x: Tensor, w: Tensor, a: Tensor, bs: Tensor) -> Tuple[Tensor, Tensor]:
    # x W^T + (x A^T) B^T in the no-grad training segments, and x A^T, which the hand-written backward reads for B's
    # gradient (an empty A: no LoRA). The low-rank product is written first and the frozen matmul accumulates into it
    # (beta 1): on an H100 this measured even with adding the product to the matmul's output afterwards (the matmul's
    # read of its output costs what the extra pass over it did; docs/BENCHMARKS.md, 2026-12-07 16:47)
    if a.numel() == 0:
      return torch.linear(x, w), a
    xa = torch.matmul(x, a.t())
    out = torch.mm(xa.reshape(-1, xa.size(-1)), bs.t())
    out.addmm_(x.reshape(-1, x.size(-1)), w.t())
    return out.reshape(x.size()[:-1] + [w.size(0)]), xa
  def llama_layer(self: __torch__.Kernels, h: Tensor, ln1: Tensor, wqkv: Tensor, wo: Tensor, ln2: Tensor, wgu: Tensor, wd: Tensor, eps: Tensor, cos: Tensor, sin: Tensor, aq: Tensor, bq: Tensor, ak: Tensor, bk: Tensor, av: Tensor, bv: Tensor, ao: Tensor, bo: Tensor, ag: Tensor, bg: Tensor, au: Tensor, bu: Tensor, ad: Tensor, bd: Tensor) -> Tensor:
    # a whole Llama decoder layer (causal, no cache) in one call: fused q/k/v and gate/up matmuls, LoRA per target (a:
    # [r, in], b: scaling * B [out, r], or one pair per row, [B, in, r] and [B, r, out]; empty when the target has none)
    return self.llama_masked_layer(h, ln1, wqkv, wo, ln2, wgu, wd, eps, cos, sin, h.new_empty([0]), aq, bq, ak, bk, av, bv, ao, bo, ag, bg, au, bu, ad, bd)
  def llama_masked_layer(self: __torch__.Kernels, h: Tensor, ln1: Tensor, wqkv: Tensor, wo: Tensor, ln2: Tensor, wgu: Tensor, wd: Tensor, eps: Tensor, cos: Tensor, sin: Tensor, mask: Tensor, aq: Tensor, bq: Tensor, ak: Tensor, bk: Tensor, av: Tensor, bv: Tensor, ao: Tensor, bo: Tensor, ag: Tensor, bg: Tensor, au: Tensor, bu: Tensor, ad: Tensor, bd: Tensor) -> Tensor:
    # llama_layer (no cache) with an additive mask [B|1, 1, T, T] (padding), or causal when the mask is empty
    qkv = self._llama_qkv(h, ln1, wqkv, wo.size(1), eps, cos, sin, aq, bq, ak, bk, av, bv)
    att = self._attend(qkv[0], qkv[1], qkv[2], mask)
    return self._llama_out(h, att, wo, ln2, wgu, wd, eps, ao, bo, ag, bg, au, bu, ad, bd)
  def llama_decode_stack(self: __torch__.Kernels, h: Tensor, weights: List[Tensor], updates: List[Tensor], eps: Tensor, cos: Tensor, sin: Tensor, keys: List[Tensor], values: List[Tensor], past: int, mask: Tensor, sliding_mask: Tensor, sliding: List[bool], last_only: bool) -> Tensor:
    # every layer of a Llama model in one call (one call instead of one per layer: the marshalling and the call's fixed
    # cost once per pass). Layer i: weights[6i..6i+5] (input norm, q|k|v, o, post-attention norm, gate|up, down) and
    # updates[14i..14i+13] (A and scaled B of q, k, v, o, gate, up, down, as llama_layer's). keys[i]/values[i] are the
    # layer's preallocated cache [B, KV, capacity, D]: this pass's keys and values are written in place at columns
    # past..past+T (no concatenation, no new cache tensor per step) and attention reads columns 0..past+T, causal
    # without a mask (the caller passes none only for the whole sequence with nothing cached, or one new token),
    # else through the additive mask [B|1, 1, T, past+T], sliding_mask instead where sliding[i] and it is not empty.
    t = h.size(1)
    for i in range(len(keys)):
      w = 6 * i
      u = 14 * i
      qkv = self._llama_qkv(h, weights[w], weights[w + 1], weights[w + 2].size(1), eps, cos, sin, updates[u], updates[u + 1], updates[u + 2], updates[u + 3], updates[u + 4], updates[u + 5])
      keys[i].narrow(2, past, t).copy_(qkv[1])
      values[i].narrow(2, past, t).copy_(qkv[2])
      m = mask
      if sliding[i] and sliding_mask.numel() > 0:
        m = sliding_mask
      q = qkv[0]
      if last_only and i == len(keys) - 1 and t > 1:
        # the caller reads the last position alone (last_only): every position's keys and values are cached above,
        # the last layer's attention, output projection and MLP run for that position only
        q = q.narrow(2, t - 1, 1)
        h = h.narrow(1, t - 1, 1)
        if m.numel() > 0:
          m = m.narrow(2, m.size(2) - 1, 1)
      att = self._attend(q, keys[i].narrow(2, 0, past + t), values[i].narrow(2, 0, past + t), m)
      h = self._llama_out(h, att, weights[w + 2], weights[w + 3], weights[w + 4], weights[w + 5], eps, updates[u + 6], updates[u + 7], updates[u + 8], updates[u + 9], updates[u + 10], updates[u + 11], updates[u + 12], updates[u + 13])
    return h
  def _attend(self: __torch__.Kernels, q: Tensor, k: Tensor, v: Tensor, mask: Tensor) -> Tensor:
    if mask.numel() == 0:
      return self.causal_attention(q, k, v)
    return self.masked_attention(q, k, v, mask)
  def _llama_qkv(self: __torch__.Kernels, h: Tensor, ln1: Tensor, wqkv: Tensor, qd: int, eps: Tensor, cos: Tensor, sin: Tensor, aq: Tensor, bq: Tensor, ak: Tensor, bk: Tensor, av: Tensor, bv: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
    # a layer's attention inputs: the input norm, one q/k/v matmul with its LoRA, RoPE; queries [B, H, T, D], keys and
    # values [B, KV, T, D]
    x = self.rms_norm(h, ln1, eps)
    kvd = (wqkv.size(0) - qd) // 2
    qkv = self._qkv_lora(self._dense(x, wqkv), x, qd, kvd, aq, bq, ak, bk, av, bv)
    d = cos.size(-1)
    # split_with_sizes, not narrow: its backward is one concatenation, where each narrow's is a zero-filled tensor the
    # size of the whole input, a copy into it and an add. RoPE once over the q and k heads together.
    qkv_parts = torch.split_with_sizes(qkv, [qd + kvd, kvd], -1)
    qk = self.rope(qkv_parts[0], cos, sin)
    v = qkv_parts[1]
    qk_parts = torch.split_with_sizes(qk, [qd // d, kvd // d], 1)
    return qk_parts[0], qk_parts[1], v.reshape(v.size(0), v.size(1), -1, d).transpose(1, 2)
  def _llama_out(self: __torch__.Kernels, h: Tensor, att: Tensor, wo: Tensor, ln2: Tensor, wgu: Tensor, wd: Tensor, eps: Tensor, ao: Tensor, bo: Tensor, ag: Tensor, bg: Tensor, au: Tensor, bu: Tensor, ad: Tensor, bd: Tensor) -> Tensor:
    # the rest of a layer after attention: output projection and residual, then the SwiGLU MLP and its residual
    h = h + self._lora_opt(self._dense(att, wo), att, ao, bo)
    x = self.rms_norm(h, ln2, eps)
    inter = wgu.size(0) // 2
    gu_parts = torch.split_with_sizes(self._dense(x, wgu), [inter, inter], -1)
    g = self._lora_opt(gu_parts[0], x, ag, bg)
    u = self._lora_opt(gu_parts[1], x, au, bu)
    s = torch.silu(g) * u
    return h + self._lora_opt(self._dense(s, wd), s, ad, bd)
  def _qkv_lora(self: __torch__.Kernels, qkv: Tensor, x: Tensor, qd: int, kvd: int, aq: Tensor, bq: Tensor, ak: Tensor, bk: Tensor, av: Tensor, bv: Tensor) -> Tensor:
    # the q, k and v updates as one (_stack_lora), or as stack_qkv_lora packed them already: q's pair then spans
    # q|k|v (its B has qd + 2 kvd rows) and k and v have none
    if aq.numel() + ak.numel() + av.numel() == 0:
      return qkv
    if aq.dim() == 2 and ak.numel() + av.numel() == 0 and bq.size(0) == qkv.size(-1):
      return self.lora_packed(qkv, x, aq, bq)
    if aq.dim() == 3 or ak.dim() == 3 or av.dim() == 3:
      # per-row pairs: each target's update on its own slice
      parts = torch.split_with_sizes(qkv, [qd, kvd, kvd], -1)
      return torch.cat([self._lora_opt(parts[0], x, aq, bq), self._lora_opt(parts[1], x, ak, bk), self._lora_opt(parts[2], x, av, bv)], -1)
    ab = self._stack_lora(x.size(-1), [qd, kvd, kvd], [aq, ak, av], [bq, bk, bv])
    return self.lora_packed(qkv, x, ab[0], ab[1])
  def _stack_lora(self: __torch__.Kernels, width: int, sizes: List[int], a: List[Tensor], b: List[Tensor]) -> Tuple[Tensor, Tensor]:
    # the [r, in] / [out, r] updates of Linears whose outputs are concatenated as one: stacked A and the
    # block-diagonal of the B's (a target without one contributes no rows to A and no columns to B)
    rows: List[Tensor] = []
    cols: List[Tensor] = []
    for i in range(len(a)):
      rows.append(self._rows(a[i], width))
      cols.append(self._cols(b[i], sizes[i]))
    return torch.cat(rows, 0), torch.block_diag(cols)
  def stack_qkv_lora(self: __torch__.Kernels, wqkv: Tensor, qd: int, aq: Tensor, bq: Tensor, ak: Tensor, bk: Tensor, av: Tensor, bv: Tensor) -> Tuple[Tensor, Tensor]:
    # a layer's q/k/v pairs ([r, in] / [out, r], empty for none) as _qkv_lora stacks them, for a caller to keep
    kvd = (wqkv.size(0) - qd) // 2
    return self._stack_lora(wqkv.size(1), [qd, kvd, kvd], [aq, ak, av], [bq, bk, bv])
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
  def llama_layer_train(self: __torch__.Kernels, h: Tensor, ln1: Tensor, wqkv: Tensor, wo: Tensor, ln2: Tensor, wgu: Tensor, wd: Tensor, eps: Tensor, cos: Tensor, sin: Tensor, aq: Tensor, bq: Tensor, ak: Tensor, bk: Tensor, av: Tensor, bv: Tensor, ao: Tensor, bo: Tensor, ag: Tensor, bg: Tensor, au: Tensor, bu: Tensor, ad: Tensor, bd: Tensor) -> Tuple[Tensor, List[Tensor]]:
    # llama_layer without autograd (causal, no cache, [r, in] / [out, r] LoRA pairs), returning with its output what
    # llama_layer_backward reads: both norms' 1/rms, the residual between the branches, gate|up (SwiGLU's input),
    # down's x A^T, then train_gate_up's, train_qkv's and train_attention's lists. The composition of the segments that
    # Kernels.java calls one by one where NativeTrainKernels runs the norms, RoPE and SwiGLU between them.
    xr1 = self.rms_norm_r(h, ln1, eps)
    qkv = self.train_qkv(xr1[0], wqkv, wo, aq, bq, ak, bk, av, bv)
    qkv_v = self.rope_split(qkv[0], cos, sin, wo)
    att = self.train_attention(h, qkv_v[0], qkv_v[1], wo, ao, bo)
    h2 = att[0]
    xr2 = self.rms_norm_r(h2, ln2, eps)
    mlp = self.train_gate_up(xr2[0], wgu, ag, bg, au, bu)
    gu = mlp[0]
    down = self.train_down(h2, self.swiglu_packed(gu), wd, ad, bd)
    return down[0], [xr1[1], xr2[1], h2, gu, down[1]] + mlp[1] + qkv[1] + att[1]
  def train_qkv(self: __torch__.Kernels, x: Tensor, wqkv: Tensor, wo: Tensor, aq: Tensor, bq: Tensor, ak: Tensor, bk: Tensor, av: Tensor, bv: Tensor) -> Tuple[Tensor, List[Tensor]]:
    # q|k|v [B, T, (H + 2 KV) D] with its LoRA from the normed x, and what backward_qkv reads: x A^T, the stacked
    # q/k/v pair, x where that pair's A gradient reads it
    qd = wo.size(1)
    kvd = (wqkv.size(0) - qd) // 2
    ab_qkv = self._stack_lora(x.size(-1), [qd, kvd, kvd], [aq, ak, av], [bq, bk, bv])
    return self.train_projection(x, wqkv, ab_qkv[0], ab_qkv[1])
  def train_projection(self: __torch__.Kernels, x: Tensor, w: Tensor, a: Tensor, bs: Tensor) -> Tuple[Tensor, List[Tensor]]:
    # a fused projection with its targets' LoRA pairs stacked (_stack_lora's layout, or NativeTrainKernels.stackLora's),
    # and what linear_backward reads after dy and W: x A^T, the stacked pair, x where the pair's A gradient reads it
    xa = self._linear_lora(x, w, a, bs)
    return xa[0], [xa[1], a, bs, self._if_lora(x, a)]
  def rope_split(self: __torch__.Kernels, qkv: Tensor, cos: Tensor, sin: Tensor, wo: Tensor) -> Tuple[Tensor, Tensor]:
    # RoPE on the projection's q and k heads, [B, T, H + KV, D], and its v heads [B, T, KV, D] (a copy: a view would
    # keep the whole projection alive until the backward); NativeTrainKernels.ropeSplit's layout
    qd = wo.size(1)
    kvd = (qkv.size(-1) - qd) // 2
    d = cos.size(-1)
    parts = torch.split_with_sizes(qkv, [qd + kvd, kvd], -1)
    v = parts[1]
    return self.rope(parts[0], cos, sin).transpose(1, 2), v.reshape(v.size(0), v.size(1), -1, d).contiguous()
  def train_attention(self: __torch__.Kernels, h: Tensor, qk: Tensor, v: Tensor, wo: Tensor, ao: Tensor, bo: Tensor) -> Tuple[Tensor, List[Tensor]]:
    # a training layer's attention branch from rope_split's heads, h + o(attention(q, k, v)) with o's LoRA, and what
    # backward_attention reads: q, k, v as the kernel saw them, o's x A^T, then the attention kernel's output,
    # log-sum-exp and (CUDA) its other results. The merged heads are recomputed there.
    heads = wo.size(1) // qk.size(-1)
    qk_parts = torch.split_with_sizes(qk, [heads, qk.size(2) - heads], 2)
    q = qk_parts[0].transpose(1, 2)
    k = qk_parts[1].transpose(1, 2)
    vt = v.transpose(1, 2)
    att = self._attention_train(q, k, vt)
    merged = self._merge_heads(att[0])
    o_xa = self._linear_lora(merged, wo, ao, bo)
    return h + o_xa[0], [q, k, vt, o_xa[1]] + att
  def train_gate_up(self: __torch__.Kernels, x: Tensor, wgu: Tensor, ag: Tensor, bg: Tensor, au: Tensor, bu: Tensor) -> Tuple[Tensor, List[Tensor]]:
    # gate|up with its LoRA from the normed x, and what backward_gate_up reads: x A^T, the stacked pair, x where the
    # pair's A gradient reads it
    inter = wgu.size(0) // 2
    ab_gu = self._stack_lora(x.size(-1), [inter, inter], [ag, au], [bg, bu])
    return self.train_projection(x, wgu, ab_gu[0], ab_gu[1])
  def train_down(self: __torch__.Kernels, h2: Tensor, s: Tensor, wd: Tensor, ad: Tensor, bd: Tensor) -> Tuple[Tensor, Tensor]:
    # the layer's output h2 + down(s) with its LoRA, and down's x A^T
    d_xa = self._linear_lora(s, wd, ad, bd)
    return h2 + d_xa[0], d_xa[1]
  def swiglu_packed(self: __torch__.Kernels, gu: Tensor) -> Tensor:
    # silu(gate) * up for gu = [..., gate | up]
    inter = gu.size(-1) // 2
    parts = torch.split_with_sizes(gu, [inter, inter], -1)
    return self.swiglu(parts[0], parts[1])
  def swiglu_backward(self: __torch__.Kernels, ds: Tensor, gu: Tensor) -> Tensor:
    # the gradient [dgate | dup] of swiglu_packed for ds (its rows flattened or not)
    inter = gu.size(-1) // 2
    parts = torch.split_with_sizes(gu, [inter, inter], -1)
    g = parts[0]
    ds = ds.reshape(g.size())
    return torch.cat([torch.silu_backward(ds * parts[1], g), ds * torch.silu(g)], -1)
  def llama_layer_backward(self: __torch__.Kernels, dout: Tensor, h: Tensor, ln1: Tensor, wqkv: Tensor, wo: Tensor, ln2: Tensor, wgu: Tensor, wd: Tensor, eps: Tensor, cos: Tensor, sin: Tensor, saved: List[Tensor], aq: Tensor, bq: Tensor, ak: Tensor, bk: Tensor, av: Tensor, bv: Tensor, ao: Tensor, bo: Tensor, ag: Tensor, bg: Tensor, au: Tensor, bu: Tensor, ad: Tensor, bd: Tensor) -> List[Tensor]:
    # the gradients of llama_layer_train given dout: [dh, then dA, dB of q, k, v, o, gate, up, down] (empty where a
    # target has no LoRA; the base weights are frozen). Input gradients accumulate through addmm; norms, RoPE and
    # SwiGLU are differentiated by hand, attention by the flash kernel's own backward. The composition of the
    # segments Kernels.java calls one by one where NativeTrainKernels runs the norms, RoPE and SwiGLU between them.
    h2 = saved[2]
    gu = saved[3]
    dd = self.linear_backward(dout, wd, self._swiglu_if_lora(gu, ad), saved[4], ad, bd)
    dg = self.backward_gate_up(self.swiglu_backward(dd[0], gu), wgu, saved[5:9], ag, bg, au, bu)
    dh2 = self.rms_norm_backward(dg[0].reshape(h2.size()), h2, ln2, saved[1], dout)
    da = self._backward_attention(dh2, wo, saved[13:], ao, bo)
    dq = self.backward_qkv(self.rope_backward(da[0], da[1], da[2], cos, sin), wqkv, wo, saved[9:13], aq, bq, ak, bk, av, bv)
    dh = self.rms_norm_backward(dq[0].reshape(h.size()), h, ln1, saved[0], dh2)
    return [dh] + dq[1:] + da[3:] + dg[1:] + dd[1:]
  def _swiglu_if_lora(self: __torch__.Kernels, gu: Tensor, a: Tensor) -> Tensor:
    # SwiGLU's product again, only where down's LoRA A needs it
    if a.numel() == 0:
      return a
    return self.swiglu_packed(gu)
  def backward_gate_up(self: __torch__.Kernels, dgu: Tensor, wgu: Tensor, saved: List[Tensor], ag: Tensor, bg: Tensor, au: Tensor, bu: Tensor) -> List[Tensor]:
    # [dx (rows flattened), dA, dB of gate, of up] for the gradient of train_gate_up's output, from its list
    inter = wgu.size(0) // 2
    d = self.linear_backward(dgu, wgu, saved[3], saved[0], saved[1], saved[2])
    return [d[0]] + self._unstack_grads(d[1], d[2], [inter, inter], [ag, au])
  def backward_attention(self: __torch__.Kernels, dh2: Tensor, wo: Tensor, saved: List[Tensor], ao: Tensor, bo: Tensor) -> List[Tensor]:
    # [dq [B, T, H, D], dk, dv [B, T, KV, D] (contiguous: NativeTrainKernels.ropeBackward reads them), dA, dB of o] of
    # train_attention's branch for the gradient dh2 of its output, from its list
    d = self._backward_attention(dh2, wo, saved, ao, bo)
    return [d[0].contiguous(), d[1].contiguous(), d[2].contiguous(), d[3], d[4]]
  def _backward_attention(self: __torch__.Kernels, dh2: Tensor, wo: Tensor, saved: List[Tensor], ao: Tensor, bo: Tensor) -> List[Tensor]:
    q = saved[0]
    k = saved[1]
    v = saved[2]
    att = saved[4:]
    merged = self._merge_heads(att[0])
    do = self.linear_backward(dh2, wo, merged, saved[3], ao, bo)
    dqkv = self._attention_backward(do[0].reshape(q.size(0), q.size(2), q.size(1), q.size(3)).transpose(1, 2), q, k, v, att)
    return [dqkv[0].transpose(1, 2), dqkv[1].transpose(1, 2), dqkv[2].transpose(1, 2), do[1], do[2]]
  def rope_backward(self: __torch__.Kernels, dq: Tensor, dk: Tensor, dv: Tensor, cos: Tensor, sin: Tensor) -> Tensor:
    # the gradient [B, T, (H + 2 KV) D] of the projection rope_split read, from those of its q, k ([B, T, heads, D],
    # after RoPE) and v heads. RoPE's transpose: x cos + roll(x, D/2) sin' backs up as dy cos + roll(dy, D/2)
    # roll(sin', D/2) (a half-turn is its own inverse).
    half = sin.size(-1) // 2
    dqk = torch.cat([dq, dk], 2)
    dpre = torch.addcmul(dqk * cos.transpose(1, 2), torch.roll(dqk, [half], [-1]), torch.roll(sin, [half], [-1]).transpose(1, 2))
    b = dq.size(0)
    t = dq.size(1)
    return torch.cat([dpre.reshape(b, t, -1), dv.reshape(b, t, -1)], -1)
  def backward_qkv(self: __torch__.Kernels, dqkv: Tensor, wqkv: Tensor, wo: Tensor, saved: List[Tensor], aq: Tensor, bq: Tensor, ak: Tensor, bk: Tensor, av: Tensor, bv: Tensor) -> List[Tensor]:
    # [dx (rows flattened), dA, dB of q, k, v] for the gradient of train_qkv's output, from its list
    qd = wo.size(1)
    kvd = (wqkv.size(0) - qd) // 2
    d = self.linear_backward(dqkv, wqkv, saved[3], saved[0], saved[1], saved[2])
    return [d[0]] + self._unstack_grads(d[1], d[2], [qd, kvd, kvd], [aq, ak, av])
  def _if_lora(self: __torch__.Kernels, x: Tensor, a: Tensor) -> Tensor:
    # x where a LoRA A's gradient will read it, else nothing kept
    if a.numel() == 0:
      return a
    return x
  def linear_backward(self: __torch__.Kernels, dy: Tensor, w: Tensor, x: Tensor, xa: Tensor, a: Tensor, bs: Tensor) -> List[Tensor]:
    # y = x W^T + (x A^T) B^T, W frozen: [dx = dy W + (dy B) A, dA = (dy B)^T x, dB = dy^T (x A^T)], rows flattened
    dy2 = dy.reshape(-1, dy.size(-1))
    if a.numel() == 0:
      return [torch.mm(dy2, w), a, bs]
    dxa = torch.mm(dy2, bs)
    # the low-rank part first, the frozen matmul accumulating into it (as _linear_lora)
    dx = torch.mm(dxa, a)
    dx.addmm_(dy2, w)
    return [dx, torch.mm(dxa.t(), x.reshape(-1, x.size(-1))), torch.mm(dy2.t(), xa.reshape(-1, xa.size(-1)))]
  def _unstack_grads(self: __torch__.Kernels, da: Tensor, db: Tensor, sizes: List[int], a: List[Tensor]) -> List[Tensor]:
    # each target's dA (rows of the stacked A's gradient) and dB (its diagonal block), empty for a target without
    out: List[Tensor] = []
    row = 0
    col = 0
    for i in range(len(a)):
      if a[i].numel() == 0:
        out.append(a[i])
        out.append(a[i])
      else:
        r = a[i].size(0)
        out.append(da[col:col + r])
        out.append(db[row:row + sizes[i], col:col + r])
        col += r
      row += sizes[i]
    return out
  def rms_norm_backward(self: __torch__.Kernels, dy: Tensor, x: Tensor, weight: Tensor, r: Tensor, residual: Tensor) -> Tensor:
    # residual + d rms_norm(x)/dx: with g = dy w and r = 1/rms(x) (fp32, rms_norm_r's), g r - x (r^3 / n) sum(g x),
    # the sum in fp32
    g = dy * weight
    n = x.size(-1)
    c = torch.sum(g * x, [-1], True, dtype=6) * r.pow(3) / n
    return torch.addcmul(torch.addcmul(residual, g, r.to(x.dtype)), x, c.to(x.dtype), value=-1.0)
  def _attention_train(self: __torch__.Kernels, q: Tensor, k: Tensor, v: Tensor) -> List[Tensor]:
    # causal attention through the flash kernel that returns what its backward reads: [output [B, H, T, D],
    # log-sum-exp] and on CUDA its sequence bounds and RNG state (fp16/bf16 there: the caller checks); on the CPU the
    # grouped KV heads repeated (its flash kernel takes equal head counts)
    if q.is_cuda:
      r = torch._scaled_dot_product_flash_attention(q, k, v, 0.0, True, False)
      return [r[0], r[1], r[2], r[3], r[6], r[7]]
    c = torch._scaled_dot_product_flash_attention_for_cpu(q, self._repeat_kv(k, q), self._repeat_kv(v, q), 0.0, True)
    return [c[0], c[1]]
  def _attention_backward(self: __torch__.Kernels, do: Tensor, q: Tensor, k: Tensor, v: Tensor, att: List[Tensor]) -> List[Tensor]:
    if q.is_cuda:
      r = torch._scaled_dot_product_flash_attention_backward(do, q, k, v, att[0], att[1], att[2], att[3], q.size(2), k.size(2), 0.0, True, att[4], att[5])
      return [r[0], r[1], r[2]]
    c = torch._scaled_dot_product_flash_attention_for_cpu_backward(do, q, self._repeat_kv(k, q), self._repeat_kv(v, q), att[0], att[1], 0.0, True)
    return [c[0], self._sum_groups(c[1], k), self._sum_groups(c[2], v)]
  def _sum_groups(self: __torch__.Kernels, d: Tensor, kv: Tensor) -> Tensor:
    # the gradient of _repeat_kv: each KV head's query group summed
    if d.size(1) == kv.size(1):
      return d
    return d.reshape(kv.size(0), kv.size(1), -1, d.size(2), d.size(3)).sum(2)
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
  def _shifted_targets(self: __torch__.Kernels, labels: Tensor) -> Tensor:
    # each position's target, flat: labels shifted left with -100 appended, as transformers' ForCausalLMLoss
    return torch.constant_pad_nd(labels[:, 1:], [0, 1], -100).reshape(-1)
  def causal_lm_loss(self: __torch__.Kernels, logits: Tensor, labels: Tensor) -> Tuple[Tensor, Tensor]:
    # the targets shifted, not the logits sliced: no copy of them
    v = logits.size(-1)
    target = self._shifted_targets(labels)
    total = torch.cross_entropy_loss(logits.reshape(-1, v).float(), target, None, 2, -100, 0.0)
    return total, torch.ne(target, -100).sum()
  def lm_head_loss(self: __torch__.Kernels, h: Tensor, w: Tensor, labels: Tensor, chunk_rows: Tensor) -> Tuple[Tensor, Tensor]:
    # causal_lm_loss of the logits h W^T (W frozen) without the whole [N, V] logits, in fp16 or fp32: rows in chunks.
    # Under autograd the gradient with respect to h is computed here, chunk by chunk, and reaches h through a term that
    # adds zero to the value (autograd then saves one [N, H] fp32 tensor instead of the logits and their softmax).
    x = h.reshape(-1, h.size(-1))
    target = self._shifted_targets(labels)
    need_grad = x.requires_grad
    lg = self._lm_head_chunks(x.detach(), w, target, int(chunk_rows.item()), need_grad)
    total = lg[0]
    if need_grad:
      surrogate = (x.float() * lg[1]).sum()
      total = total + (surrogate - surrogate.detach())
    return total, torch.ne(target, -100).sum()
  def _lm_head_chunks(self: __torch__.Kernels, x: Tensor, w: Tensor, target: Tensor, chunk: int, need_grad: bool) -> Tuple[Tensor, Tensor]:
    # the summed loss of rows x [N, H] against target [N] (-100 ignored) and, if asked, its gradient w.r.t. x (fp32)
    total = torch.zeros([], dtype=6, device=x.device)
    grads: List[Tensor] = []
    n = x.size(0)
    for s in range(0, n, chunk):
      e = min(n, s + chunk)
      logits = torch.linear(x[s:e], w).float()
      t = target[s:e]
      keep = torch.ne(t, -100)
      safe = torch.where(keep, t, torch.zeros_like(t)).unsqueeze(1)
      lse = torch.logsumexp(logits, [1])
      total = total + torch.where(keep, lse - logits.gather(1, safe).squeeze(1), torch.zeros_like(lse)).sum()
      if need_grad:
        # softmax minus one-hot on counted rows, times 256 (a power of two: exact) before the half-precision matmul so
        # that small probabilities stay normal fp16 numbers
        p = torch.exp(logits.sub_(lse.unsqueeze(1)))
        p.scatter_add_(1, safe, torch.full_like(lse, -1.0).unsqueeze(1))
        p.mul_(keep.unsqueeze(1).float() * 256.0)
        grads.append(torch.mm(p.to(x.dtype), w).float() / 256.0)
    if need_grad:
      return total, torch.cat(grads, 0)
    return total, x.new_empty([0])
  def norm_lm_head_loss_backward(self: __torch__.Kernels, h: Tensor, norm: Tensor, eps: Tensor, w: Tensor, labels: Tensor, chunk_rows: Tensor, factor: Tensor) -> List[Tensor]:
    # the final RMSNorm and lm_head_loss without autograd, for the hand-written backward: [summed loss, labelled
    # count, the gradient of factor * loss w.r.t. h] (the factor: loss scale over the update's labelled tokens)
    xr = self.rms_norm_r(h, norm, eps)
    x = xr[0]
    target = self._shifted_targets(labels)
    lg = self._lm_head_chunks(x.reshape(-1, x.size(-1)), w, target, int(chunk_rows.item()), True)
    dx = (lg[1] * factor).to(h.dtype).reshape(h.size())
    return [lg[0], torch.ne(target, -100).sum(), self.rms_norm_backward(dx, h, norm, xr[1], h.new_zeros([]))]
  def lm_head_targets(self: __torch__.Kernels, labels: Tensor, x: Tensor) -> List[Tensor]:
    # norm_lm_head_loss_backward with the native final norm and cross-entropy (NativeTrainKernels.rmsNorm,
    # crossEntropyGrad) between lm_head_logits and lm_head_dx, chunk by chunk: the targets [N] and the final norm's
    # output gradient [N, H] for lm_head_dx to fill
    return [self._shifted_targets(labels), torch.empty_like(x)]
  def lm_head_logits(self: __torch__.Kernels, x: Tensor, w: Tensor, start: int, end: int) -> Tensor:
    return torch.linear(x[start:end], w)
  def lm_head_dx(self: __torch__.Kernels, g: Tensor, w: Tensor, dx: Tensor, start: int) -> int:
    # a chunk's rows of dx, written in place (a cat of the chunks copied all of dx again)
    torch.mm(g, w, out=dx.narrow(0, start, g.size(0)))
    return 1
  def lm_head_epilogue(self: __torch__.Kernels, losses: List[Tensor], target: Tensor, factor: Tensor) -> List[Tensor]:
    # [summed loss, labelled count, the scale of the final norm's output gradient]: the chunks' gradients were scaled
    # by 256 before their half-precision matmul, so the scale is factor / 256 (exact: a power of two), which the native
    # RMSNorm backward applies in fp32
    return [torch.cat(losses, 0).sum(), torch.ne(target, -100).sum(), factor / 256.0]
  def gradients(self: __torch__.Kernels, outputs: List[Tensor], grad_outputs: List[Tensor], params: List[Tensor]) -> List[Tensor]:
    # returned, not accumulated into .grad: no per-parameter accumulate or zeroing kernels; grad_outputs empty for
    # scalar outputs
    given: List[Optional[Tensor]] = []
    for g in grad_outputs:
      given.append(g)
    if len(given) == 0:
      grads = torch.autograd.grad(outputs, params, None, None, False, True)
    else:
      grads = torch.autograd.grad(outputs, params, given, None, False, True)
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
    return self.grad_norms(grads).pow(2).sum().sqrt()
  def grad_norms(self: __torch__.Kernels, grads: List[Tensor]) -> Tensor:
    # each gradient's 2-norm, fp32 [n]
    return torch.stack(torch._foreach_norm(grads, 2)).float()
  def step_stats(self: __torch__.Kernels, grads: List[Tensor], loss_sum: Tensor, unscale: Tensor, max_norm: float) -> Tuple[Tensor, Tensor, Tensor]:
    # on the device, so that the host reads once per step, after the update is queued: [summed loss, gradient norm]
    # (unscaled), the divisor AdamW applies to the gradients (loss scale over the clipping coefficient) and found_inf;
    # unscale is a 0-d fp32 tensor set before the step, so that a captured step reads each step's value
    norm = self.grad_norm(grads) * unscale
    loss = loss_sum.float().reshape([])
    found_inf = torch.logical_not(torch.logical_and(torch.isfinite(norm), torch.isfinite(loss))).float()
    clip = torch.ones_like(norm)
    if max_norm > 0.0:
      clip = torch.where(norm > max_norm, torch.reciprocal(norm + 1e-6) * max_norm, clip)
    return torch.stack([loss, norm]), torch.reciprocal(clip * unscale), found_inf
  def advance_step_(self: __torch__.Kernels, step: Tensor, found_inf: Tensor) -> int:
    step.add_(torch.rsub(found_inf, 1.0))
    return 1
  def fused_adamw_(self: __torch__.Kernels, params: List[Tensor], grads: List[Tensor], exp_avgs: List[Tensor], exp_avg_sqs: List[Tensor], steps: List[Tensor], lr: Tensor, beta1: float, beta2: float, eps: float, weight_decay: float, grad_scale: Tensor, found_inf: Tensor) -> int:
    # torch's fused AdamW over one weight-decay group: gradients divided by grad_scale, nothing changed where found_inf
    # is 1; steps: the step count (bias correction) per tensor; lr a 0-d fp32 tensor on the parameters' device (read by
    # the kernel, so a captured step takes each step's rate). The lists must be the caller's: a call on lists built
    # in here was dropped by the interpreter (measured: parameters unchanged).
    torch._fused_adamw_(params, grads, exp_avgs, exp_avg_sqs, [], steps, lr=lr, beta1=beta1, beta2=beta2, weight_decay=weight_decay, eps=eps, amsgrad=False, maximize=False, grad_scale=grad_scale, found_inf=found_inf)
    return len(params)
  def fill_(self: __torch__.Kernels, t: Tensor, value: float) -> int:
    t.fill_(value)
    return 1
  def copy_(self: __torch__.Kernels, dst: List[Tensor], src: List[Tensor]) -> int:
    torch._foreach_copy_(dst, src)
    return len(dst)
