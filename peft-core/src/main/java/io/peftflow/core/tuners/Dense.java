package io.peftflow.core.tuners;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.peftflow.core.nn.Module;
import io.peftflow.core.nn.Parameter;

/**
 * An adapter's own projection {@code y = x W^T + b}, weight {@code [out, in]} as torch's {@code nn.Linear}.
 * Deliberately not an {@link io.peftflow.core.nn.Linear}, so that adapter layers are never themselves targeted
 * (by {@code all-linear}, say).
 */
public final class Dense extends Module {
    private final Parameter weight;
    private final Parameter bias;

    public Dense(String name, long in, long out, boolean bias) {
        super(name);
        this.weight = addParameter("weight", new Shape(out, in));
        this.bias = bias ? addParameter("bias", new Shape(out)) : null;
    }

    /** {@code x} first, so results attach to the caller's (per-step) manager. */
    public NDArray forward(NDArray x) {
        return ai.djl.nn.core.Linear.linear(x, weight.array(), bias == null ? null : bias.array()).singletonOrThrow();
    }

    public Parameter weight() {
        return weight;
    }

    /** The bias, or null. */
    public Parameter bias() {
        return bias;
    }
}
