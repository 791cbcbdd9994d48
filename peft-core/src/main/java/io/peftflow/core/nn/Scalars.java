package io.peftflow.core.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Arithmetic with constants, for forward code. DJL 0.33's {@code add/mul/div/pow(Number)} make the constant a new
 * tensor each call, which costs twice: on CUDA the host-to-device copy of a pageable 4-byte buffer synchronises the
 * stream (hundreds of stalls per forward), and the tensor is closed at once although autograd keeps it for backward
 * (on the CPU its direct buffer is then freed by GC: NaN gradients that come and go with GC timing). Constants made
 * here are created once per device and value and live for the JVM: use them for fixed values (a model's scale, eps,
 * exponents), not for values that change every step (those belong in the step's scope, like {@code step.create(v)}).
 */
public final class Scalars {
    private record Key(Device device, float value) {
    }

    private static final Map<Device, NDManager> OWNERS = new ConcurrentHashMap<>();
    private static final Map<Key, NDArray> CONSTANTS = new ConcurrentHashMap<>();

    private Scalars() {
    }

    /** A shared 0-d fp32 constant on {@code like}'s device (0-d operands do not widen fp16 tensors). */
    public static NDArray constant(NDArray like, double value) {
        Device device = like.getDevice();
        return CONSTANTS.computeIfAbsent(new Key(device, (float) value), k -> owner(device).create(k.value()));
    }

    /** The JVM-lifetime manager that owns this package's shared arrays on {@code device}. */
    static NDManager owner(Device device) {
        return OWNERS.computeIfAbsent(device, NDManager::newBaseManager);
    }

    public static NDArray add(NDArray x, double value) {
        return x.add(constant(x, value));
    }

    public static NDArray mul(NDArray x, double value) {
        return x.mul(constant(x, value));
    }

    public static NDArray div(NDArray x, double value) {
        return x.div(constant(x, value));
    }

    public static NDArray pow(NDArray x, double value) {
        return x.pow(constant(x, value));
    }
}
