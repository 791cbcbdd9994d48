package io.peftflow.core.model;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import io.peftflow.core.checkpoint.Checkpoint;
import java.nio.file.Path;

/** Loads a checkpoint in float16 on the CPU, past the policy that refuses it to users: the CUDA path's dtypes in CI. */
public final class HalfOnCpu {
    private HalfOnCpu() {
    }

    public static CausalLM load(Path dir) {
        try (Checkpoint ckpt = Checkpoint.open(dir)) {
            return Models.load(ckpt, Device.cpu(), DataType.FLOAT16);
        }
    }
}
