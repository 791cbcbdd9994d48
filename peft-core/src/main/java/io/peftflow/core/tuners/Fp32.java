package io.peftflow.core.tuners;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Adapters compute in fp32 (their parameters' dtype) even on an fp16 base, as PEFT does: inputs go up to fp32,
 * results come back to the dtype of the base output they are added to.
 */
public final class Fp32 {
    private Fp32() {
    }

    public static NDArray of(NDArray x) {
        return io.peftflow.core.nn.Casts.to(x, DataType.FLOAT32);
    }

    public static NDArray like(NDArray y, NDArray target) {
        return io.peftflow.core.nn.Casts.to(y, target.getDataType());
    }
}
