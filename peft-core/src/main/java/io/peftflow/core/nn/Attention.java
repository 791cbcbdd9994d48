package io.peftflow.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Eager scaled dot-product attention with grouped-query heads (DJL exposes no fused kernel). */
public final class Attention {
    private Attention() {
    }

    /**
     * @param q {@code [B, H, T, D]}
     * @param k {@code [B, KV, S, D]}, H a multiple of KV; query head h reads kv head h / (H / KV)
     * @param v {@code [B, KV, S, D]}
     * @param mask additive fp32 mask broadcastable to {@code [B, H, T, S]} (0 keep, large negative drop), or null
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
        NDArray qg = q.mul(scale).reshape(b, kv, (h / kv) * t, d);
        NDArray scores = qg.matMul(k.transpose(0, 1, 3, 2)).reshape(b, h, t, s);
        if (scores.getDataType() != DataType.FLOAT32) {
            scores = scores.toType(DataType.FLOAT32, false);
        }
        if (mask != null) {
            scores = scores.add(mask);
        }
        NDArray probs = scores.softmax(-1);
        if (q.getDataType() != DataType.FLOAT32) {
            probs = probs.toType(q.getDataType(), false);
        }
        return probs.reshape(b, kv, (h / kv) * t, s).matMul(v).reshape(b, h, t, d);
    }
}
