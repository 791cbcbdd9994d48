package io.peftflow.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
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
        DataType in = x.getDataType();
        NDArray h = in == DataType.FLOAT32 ? x : Casts.to(x, DataType.FLOAT32);
        NDArray inv = Scalars.pow(Scalars.add(Scalars.pow(h, 2).mean(new int[] {-1}, true), eps).sqrt(), -1);
        NDArray normed = h.mul(inv);
        return (in == DataType.FLOAT32 ? normed : Casts.to(normed, in)).mul(weight.array());
    }

    public Parameter weight() {
        return weight;
    }
}
