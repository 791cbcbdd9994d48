package io.peftflow.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** LayerNorm over the last dimension with weight and bias (GPT-2's ln_1, ln_2, ln_f). */
public class LayerNorm extends Module {
    private final Parameter weight;
    private final Parameter bias;
    private final float eps;
    private final Shape normalized;

    public LayerNorm(String name, long dim, double eps) {
        super(name);
        this.normalized = new Shape(dim);
        this.weight = addParameter("weight", normalized);
        this.bias = addParameter("bias", normalized);
        this.eps = (float) eps;
    }

    public NDArray forward(NDArray x) {
        return ai.djl.nn.norm.LayerNorm.layerNorm(x, normalized, weight.array(), bias.array(), eps)
                .singletonOrThrow();
    }
}
