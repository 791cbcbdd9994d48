package io.peftflow.core.model;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import io.peftflow.core.device.Devices;

/**
 * Where and in which precision to load a model.
 *
 * @param device target device
 * @param dtype FLOAT32, or FLOAT16 on CUDA
 */
public record LoadOptions(Device device, DataType dtype) {
    public LoadOptions {
        Devices.checkDtype(device, dtype);
    }

    /** {@link Devices#pick()} with its default dtype. */
    public static LoadOptions auto() {
        return on(Devices.pick());
    }

    /** {@code device} in its default dtype (fp32 on CPU, fp16 on CUDA). */
    public static LoadOptions on(Device device) {
        return new LoadOptions(device, Devices.defaultDtype(device));
    }

    public static LoadOptions cpu() {
        return new LoadOptions(Device.cpu(), DataType.FLOAT32);
    }
}
