package io.peftflow.core.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Dtype casts that autograd can see. DJL 0.33's {@code toType} runs under {@code torch::NoGradGuard}, so a cast
 * inside a forward cuts the graph: on an fp16 model nothing before the cast gets a gradient. These go through
 * {@link Kernels#castLike}, against a shared 0-d array of the target dtype.
 */
public final class Casts {
    private record Key(Device device, DataType dtype) {
    }

    private static final Map<Key, NDArray> DTYPE_TOKENS = new ConcurrentHashMap<>();

    private Casts() {
    }

    /** {@code x} in {@code dtype} (itself when it already is), differentiable; attached to x's manager. */
    public static NDArray to(NDArray x, DataType dtype) {
        if (x.getDataType() == dtype) {
            return x;
        }
        return Kernels.castLike(x, token(x.getDevice(), dtype));
    }

    /** A shared 0-d array of {@code dtype} on {@code device}: what kernels read a target dtype from. */
    static NDArray token(Device device, DataType dtype) {
        return DTYPE_TOKENS.computeIfAbsent(new Key(device, dtype),
                k -> Scalars.owner(k.device()).zeros(new Shape(), k.dtype()));
    }
}
