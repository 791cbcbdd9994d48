package io.peftflow.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.peftflow.core.nn.Attention;

/** The attention steps Llama and GPT-2 share: head split, cache append, masked attention, head merge. */
final class AttentionOps {
    private AttentionOps() {
    }

    /** {@code [B, T, n*D]} to {@code [B, n, T, D]}. */
    static NDArray splitHeads(NDArray x, long heads, long headDim) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        return x.reshape(b, t, heads, headDim).transpose(0, 2, 1, 3);
    }

    /** Attends {@code [B, H, T, D]} queries to cached + new keys/values; returns {@code [B, T, H*D]}. */
    static NDArray attend(NDArray q, NDArray k, NDArray v, LayerInput in, int layer, boolean sliding, float scale) {
        NDArray keys = k;
        NDArray values = v;
        if (in.cache() != null) {
            NDArray[] full = in.cache().append(layer, k, v);
            keys = full[0];
            values = full[1];
        }
        NDArray mask = sliding && in.slidingMask() != null ? in.slidingMask() : in.fullMask();
        return Attention.scaledDotProduct(q, keys, values, mask, scale);
    }

    /** Splits the last axis into {@code n} equal parts (DJL's split takes no negative axis). */
    static NDList splitLast(NDArray x, int n) {
        return x.split(n, x.getShape().dimension() - 1);
    }
}
