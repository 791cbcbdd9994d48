package io.peftflow.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Llama's RMSNorm: in fp32 as transformers does; in half precision the mean square accumulates in fp32 and the scaling
 * runs in half (kernels.py), 6.6 % off a TinyLlama-shape training step on an H200 (docs/BENCHMARKS.md).
 */
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
