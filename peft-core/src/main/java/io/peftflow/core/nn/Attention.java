package io.peftflow.core.nn;

import ai.djl.ndarray.NDArray;

/** Eager scaled dot-product attention with grouped-query heads (DJL exposes no fused kernel). */
public final class Attention {
    private Attention() {
    }

    /**
     * @param q {@code [B, H, T, D]}
     * @param k {@code [B, KV, S, D]}, H a multiple of KV; query head h reads kv head h / (H / KV)
     * @param v {@code [B, KV, S, D]}
     * @param mask additive mask in the scores' dtype, broadcastable to {@code [B, H, T, S]} (0 keep, large negative
     *     drop), or null
     * @return {@code [B, H, T, D]}
     */
    public static NDArray scaledDotProduct(NDArray q, NDArray k, NDArray v, NDArray mask, float scale) {
        long b = q.getShape().get(0);
        long h = q.getShape().get(1);
        long t = q.getShape().get(2);
        long d = q.getShape().get(3);
        long kv = k.getShape().get(1);
        long s = k.getShape().get(2);
        // Fold the query heads of a kv group into the sequence axis instead of repeating K and V in memory;
        // scale the queries ([.., T, D]) rather than the scores ([.., T, S]): one smaller kernel per layer.
        NDArray qg = Scalars.mul(q, scale).reshape(b, kv, (h / kv) * t, d);
        NDArray scores = qg.matMul(k.transpose(0, 1, 3, 2)).reshape(b, h, t, s);
        if (mask != null) {
            scores = scores.add(mask);
        }
        // On fp16 the softmax kernel accumulates in fp32 and rounds once, as transformers' fp32 softmax followed by
        // a cast to fp16 does, without writing and re-reading two fp32 copies of the [B, H, T, S] scores.
        NDArray probs = scores.softmax(-1);
        return probs.reshape(b, kv, (h / kv) * t, s).matMul(v).reshape(b, h, t, d);
    }
}
