package io.peftflow.core.nn;

import ai.djl.ndarray.NDArray;

/**
 * Rewrites a sub-layer's output. For a {@link Linear}, {@code input} is the linear's input (LoRA adds
 * {@code B(A(input))} to {@code output}); at a decoder layer's insertion points, {@code output} is the
 * attention or MLP output before the residual add and {@code input} is the residual (bottleneck adapters).
 */
@FunctionalInterface
public interface Hook {
    NDArray apply(NDArray output, NDArray input);
}
