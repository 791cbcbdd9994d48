package io.peftflow.core.model;

import ai.djl.ndarray.NDArray;
import io.peftflow.core.nn.HookList;
import io.peftflow.core.nn.Module;

/**
 * One transformer block. Insertion points for bottleneck adapters: {@link #afterAttention()} rewrites the
 * attention output (after its output projection, before the residual add) and {@link #afterMlp()} the MLP
 * output (before its residual add); hooks receive that output and the residual.
 */
public interface DecoderLayer {
    int index();

    /** {@code model.layers.i.self_attn} or {@code transformer.h.i.attn}. */
    Module attention();

    /** {@code model.layers.i.mlp} or {@code transformer.h.i.mlp}. */
    Module mlp();

    HookList afterAttention();

    HookList afterMlp();

    NDArray forward(NDArray hidden, LayerInput in);
}
