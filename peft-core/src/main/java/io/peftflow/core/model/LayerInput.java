package io.peftflow.core.model;

import ai.djl.ndarray.NDArray;

/**
 * What every decoder layer of one forward pass shares.
 *
 * @param cos RoPE cosines {@code [B|1, 1, T, D]} (null for learned positions)
 * @param sin RoPE sines with the first half negated (see {@code Kernels.rope}), like cos
 * @param fullMask additive causal + padding mask {@code [B|1, 1, T, S]}, or null when causal attention needs none
 * @param slidingMask the same restricted to the sliding window, or null
 * @param cache the KV cache, or null
 */
public record LayerInput(NDArray cos, NDArray sin, NDArray fullMask, NDArray slidingMask, KvCache cache) {
}
