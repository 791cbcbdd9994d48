package io.peftflow.core.nn;

import ai.djl.ndarray.NDArray;

/**
 * Arithmetic with a constant that autograd may read during backward. DJL 0.33's {@code mul/div/pow(Number)} make
 * the constant a tensor (on the CPU over a Java direct buffer), use it and close it at once; autograd keeps that
 * tensor for backward, but the buffer is freed by the next garbage collection, so backward reads freed memory
 * (NaN gradients that come and go with GC timing). Constants made here belong to {@code x}'s manager and live until
 * that scope closes, after backward.
 */
public final class Scalars {
    private Scalars() {
    }

    /** A 0-d fp32 constant in {@code like}'s manager (it does not widen fp16 operands). */
    public static NDArray constant(NDArray like, double value) {
        return like.getManager().create((float) value);
    }

    public static NDArray mul(NDArray x, double value) {
        return x.mul(constant(x, value));
    }

    public static NDArray div(NDArray x, double value) {
        return x.div(constant(x, value));
    }

    public static NDArray pow(NDArray x, double value) {
        return x.pow(constant(x, value));
    }
}
