package io.peftflow.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * Dtype casts that autograd can see. DJL 0.33's {@code toType} runs under {@code torch::NoGradGuard}, so a cast
 * inside a forward cuts the graph: on an fp16 model nothing before the cast gets a gradient. Copying into an
 * uninitialised array of the target dtype ({@code copy_}) casts the same way and is differentiable.
 */
public final class Casts {
    private Casts() {
    }

    /** {@code x} in {@code dtype} (itself when it already is), differentiable; attached to x's manager. */
    public static NDArray to(NDArray x, DataType dtype) {
        if (x.getDataType() == dtype) {
            return x;
        }
        NDArray out = x.getManager().create(x.getShape(), dtype, x.getDevice());
        out.set(new NDIndex("..."), x);
        return out;
    }
}
