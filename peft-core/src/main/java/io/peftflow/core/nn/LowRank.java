package io.peftflow.core.nn;

import ai.djl.ndarray.NDArray;

/**
 * A low-rank update {@code y += x A^T B^T} of a {@link Linear}, as a fused kernel applies it: {@code a} is
 * {@code [r, in]} and {@code scaledB} {@code [out, r]} (the adapter's scaling already in it), both in the activations'
 * dtype; or one pair per row of the batch (mixed adapters), {@code a} {@code [B, in, r]} and {@code scaledB}
 * {@code [B, r, out]}. {@link #NONE} is a Linear without an enabled hook.
 */
public record LowRank(NDArray a, NDArray scaledB) {
    public static final LowRank NONE = new LowRank(null, null);
}
