package io.peftflow.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** Activations by their HF names, each written so the activation is the first operand (manager scoping). */
public final class Activations {
    private static final double GELU_C = Math.sqrt(2.0 / Math.PI);

    private Activations() {
    }

    /** silu(x) = x * sigmoid(x). */
    public static NDArray silu(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }

    /** GPT-2's tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
    public static NDArray geluNew(NDArray x) {
        NDArray inner = Scalars.mul(Scalars.mul(Scalars.pow(x, 3), 0.044715f).add(x), GELU_C);
        return Scalars.mul(x.mul(Scalars.add(inner.tanh(), 1)), 0.5f);
    }

    /** The exact (erf) GELU, HF's "gelu". */
    public static NDArray gelu(NDArray x) {
        return Activation.gelu(x);
    }
}
