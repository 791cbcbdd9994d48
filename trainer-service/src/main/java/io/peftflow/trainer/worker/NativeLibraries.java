package io.peftflow.trainer.worker;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.jni.LibUtils;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Loads DJL's native libraries once (PyTorch, with one tensor operation, and the Hugging Face tokenizers), which
 * extracts them into {@code DJL_CACHE_DIR}. The trainer's images run it at build time, so a container starts with
 * the natives in place on a read-only root file system and extracts nothing.
 */
public final class NativeLibraries {
    private NativeLibraries() {
    }

    public static void main(String[] args) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            float sum = manager.ones(new Shape(2, 2)).sum().getFloat();
            LibUtils.checkStatus();
            System.out.printf("PyTorch %s loaded (2x2 ones sum to %.0f), tokenizers loaded, cache %s%n",
                    Engine.getEngine("PyTorch").getVersion(), sum, System.getenv("DJL_CACHE_DIR"));
        }
    }
}
