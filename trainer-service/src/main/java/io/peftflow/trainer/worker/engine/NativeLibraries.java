package io.peftflow.trainer.worker.engine;

import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.jni.LibUtils;
import ai.djl.util.Utils;

/**
 * Loads DJL's native libraries once — PyTorch through {@link EngineCheck} (one tensor operation on the CPU) and the
 * Hugging Face tokenizers — which unpacks them into {@code DJL_CACHE_DIR}. The trainer's images run it at build
 * time, so a container starts with the natives in place on its read-only root file system and unpacks nothing.
 */
public final class NativeLibraries {
    private NativeLibraries() {
    }

    public static void main(String[] args) {
        EngineCheck.load("cpu");
        LibUtils.checkStatus();
        System.out.printf("PyTorch %s and the tokenizers' library unpacked into %s%n",
                Engine.getEngine("PyTorch").getVersion(), Utils.getEngineCacheDir());
    }
}
