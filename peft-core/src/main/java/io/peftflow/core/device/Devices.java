package io.peftflow.core.device;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import io.peftflow.core.PeftCoreException;
import java.util.Locale;

/**
 * Device and dtype choice: CUDA when the engine sees a GPU, else CPU; overridable with the system property
 * {@value #PROPERTY} or the environment variable {@value #ENV} ("cpu", "cuda", "cuda:1", "auto"). CPU runs in
 * fp32; CUDA in fp16 (default) or fp32. bf16 is not offered: DJL crashes the JVM on bf16 tensors.
 */
public final class Devices {
    public static final String PROPERTY = "peftflow.device";
    public static final String ENV = "PEFTFLOW_DEVICE";

    private Devices() {
    }

    /** The device named by the property or environment variable, else the automatic choice. */
    public static Device pick() {
        String v = System.getProperty(PROPERTY);
        return pick(v != null ? v : System.getenv(ENV));
    }

    /** Parses "cpu", "cuda", "cuda:N", "gpu", "gpu:N"; null, blank or "auto" picks automatically. */
    public static Device pick(String spec) {
        if (spec == null || spec.isBlank() || spec.equalsIgnoreCase("auto")) {
            return Engine.getInstance().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
        }
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("cpu")) {
            return Device.cpu();
        }
        if (s.startsWith("cuda") || s.startsWith("gpu")) {
            int colon = s.indexOf(':');
            int id;
            try {
                id = colon < 0 ? 0 : Integer.parseInt(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new PeftCoreException("bad device " + spec + " (use cpu, cuda or cuda:N)", e);
            }
            int gpus = Engine.getInstance().getGpuCount();
            if (id >= gpus) {
                throw new PeftCoreException("device " + spec + " requested but " + gpus + " GPU(s) visible");
            }
            return Device.gpu(id);
        }
        throw new PeftCoreException("bad device " + spec + " (use cpu, cuda or cuda:N)");
    }

    /** fp32 on CPU, fp16 on CUDA. */
    public static DataType defaultDtype(Device device) {
        return device.isGpu() ? DataType.FLOAT16 : DataType.FLOAT32;
    }

    /** Rejects combinations peft-core does not run: fp16 on CPU, anything but fp16/fp32. */
    public static void checkDtype(Device device, DataType dtype) {
        if (dtype == DataType.FLOAT32 || (dtype == DataType.FLOAT16 && device.isGpu())) {
            return;
        }
        throw new PeftCoreException("dtype " + dtype + " is not supported on " + device
                + " (CPU: float32; CUDA: float16 or float32)");
    }
}
