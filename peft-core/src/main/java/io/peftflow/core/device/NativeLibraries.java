package io.peftflow.core.device;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.jni.LibUtils;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.Utils;

/**
 * Loads DJL's native libraries once — PyTorch (one tensor operation on the CPU) and the Hugging Face tokenizers —
 * which unpacks them into {@code DJL_CACHE_DIR}. The trainer's and inference-service's images run it at build time,
 * so a container starts with the natives in place on its read-only root file system and unpacks nothing.
 */
public final class NativeLibraries {
    private NativeLibraries() {
    }

    public static void main(String[] args) {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), engine.getEngineName())) {
            float sum = manager.ones(new Shape(4)).add(1f).sum().getFloat();
            if (sum != 8f) {
                throw new IllegalStateException("1 + 1 summed over 4 elements gave " + sum);
            }
        }
        LibUtils.checkStatus();
        System.out.printf("PyTorch %s and the tokenizers' library unpacked into %s%n", engine.getVersion(),
                Utils.getEngineCacheDir());
    }
}
