package io.peftflow.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;

/** A lookup table {@code [num, dim]}: ids {@code [B, T]} (int64) to {@code [B, T, dim]}. */
public class Embedding extends Module {
    private final Parameter weight;

    public Embedding(String name, long num, long dim) {
        super(name);
        this.weight = addParameter("weight", new Shape(num, dim));
    }

    public NDArray forward(NDArray ids) {
        NDArray idx = ids.getDataType() == DataType.INT64 ? ids : ids.toType(DataType.INT64, false);
        return ai.djl.nn.core.Embedding.embedding(idx, weight.array(), SparseFormat.DENSE).singletonOrThrow();
    }

    public Parameter weight() {
        return weight;
    }
}
