package io.peftflow.core.nn;

import ai.djl.ndarray.NDArray;

/**
 * Scaled dot-product attention with grouped-query heads, through torch's fused kernel ({@link Kernels}): flash or
 * memory-efficient attention on CUDA, so the {@code [B, H, T, S]} probabilities never exist in memory.
 */
public final class Attention {
    private Attention() {
    }

    /**
     * @param q {@code [B, H, T, D]}
     * @param k {@code [B, KV, S, D]}, H a multiple of KV; query head h reads kv head h / (H / KV)
     * @param v {@code [B, KV, S, D]}
     * @param mask additive mask in the queries' dtype, broadcastable to {@code [B, H, T, S]} (0 keep, large negative
     *     drop); null for plain causal attention (T == S, or T == 1 over all S keys; no padding to hide)
     * @param scale the score scale; the kernel applies 1/sqrt(D), other scales are folded into the queries
     * @return {@code [B, T, H*D]}
     */
    public static NDArray scaledDotProduct(NDArray q, NDArray k, NDArray v, NDArray mask, float scale) {
        double kernelScale = 1 / Math.sqrt(q.getShape().get(3));
        NDArray qs = Math.abs(scale - kernelScale) < 1e-7 * kernelScale ? q : Scalars.mul(q, scale / kernelScale);
        return mask == null ? Kernels.causalAttention(qs, k, v) : Kernels.maskedAttention(qs, k, v, mask);
    }
}
