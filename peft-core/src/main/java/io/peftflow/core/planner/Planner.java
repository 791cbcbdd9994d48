package io.peftflow.core.planner;

import ai.djl.ndarray.types.DataType;
import io.peftflow.core.checkpoint.Json;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.ModelConfig;
import io.peftflow.core.model.Models;
import java.nio.file.Path;

/**
 * Plans a PEFT run from {@code config.json} alone: builds the model's module tree without weights (no
 * engine, no memory) and counts what a {@link PeftSpec} (an adapter config) adds, then estimates GPU memory.
 * <p>
 * Activation estimate, per layer and token, in the run's dtype: the saved inputs of both norms, q/k/v, the
 * attention output and o_proj input, and the MLP's gate/up/activation/product ({@code 6H + 2*KV*D + 4I}
 * elements), plus the fp32 log-sum-exp per head that the fused attention kernel keeps (torch's
 * {@code scaled_dot_product_attention}, flash or memory-efficient on CUDA: no {@code T x T} tensor); plus the
 * logits in the run's dtype and two fp32 copies for the loss. No activation checkpointing. It is an estimate:
 * allocator slack comes on top, and the CUDA context is {@link Plan#CUDA_CONTEXT_BYTES}.
 */
public final class Planner {
    private Planner() {
    }

    public static Plan plan(Path configJson, PeftSpec spec, int batch, int seq, DataType dtype) {
        return plan(ModelConfig.parse(Json.read(configJson), configJson), spec, batch, seq, dtype);
    }

    public static Plan plan(ModelConfig config, PeftSpec spec, int batch, int seq, DataType dtype) {
        CausalLM skeleton = Models.create(config, null, dtype);
        long base = skeleton.parameterCount();
        long trainable = spec.trainableParameters(skeleton);
        long bytes = dtype.getNumOfBytes();
        long tokens = (long) batch * seq;
        long h = config.hiddenSize();
        long perTokenLayer = (6 * h + 2L * config.numKvHeads() * config.headDim() + 4L * config.intermediateSize())
                * bytes + 4L * config.numHeads();
        long activations = config.numLayers() * tokens * perTokenLayer + tokens * config.vocabSize() * (bytes + 8);
        Plan.Memory memory = new Plan.Memory(base * bytes, trainable * 4, trainable * 4, trainable * 8, activations);
        return new Plan(base, trainable, base + trainable, memory);
    }
}
