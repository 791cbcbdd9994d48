package io.peftflow.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Llama's RMSNorm: normalises in fp32 and casts back before the weight, as transformers does. */
public class RmsNorm extends Module {
    private final Parameter weight;
    private final float eps;

    public RmsNorm(String name, long dim, double eps) {
        super(name);
        this.weight = addParameter("weight", new Shape(dim));
        this.eps = (float) eps;
    }

    public NDArray forward(NDArray x) {
        return Kernels.rmsNorm(x, weight.array(), Scalars.constant(x, eps));
    }

    public Parameter weight() {
        return weight;
    }
}
