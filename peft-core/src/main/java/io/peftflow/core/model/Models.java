package io.peftflow.core.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.checkpoint.Checkpoint;
import io.peftflow.core.checkpoint.WeightStore;
import io.peftflow.core.nn.Parameter;
import io.peftflow.core.safetensors.TensorInfo;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds models from configs and loads them from HF checkpoint directories. */
public final class Models {
    private static final Logger LOG = LoggerFactory.getLogger(Models.class);
    /** Prefixes some checkpoints omit (GPT-2's original upload has {@code h.0...}, not {@code transformer.h.0...}). */
    private static final String[] BASE_PREFIXES = {"transformer.", "model."};

    private Models() {
    }

    /**
     * An uninitialised model of the config's architecture, its parameters to live in {@code manager}. With a null
     * manager it is a weightless skeleton: names and shapes only (the planner uses that).
     */
    public static CausalLM create(ModelConfig config, NDManager manager, DataType dtype) {
        return switch (config.architecture().family()) {
            case LLAMA -> new LlamaForCausalLM(config, manager, dtype);
            case GPT2 -> new Gpt2LMHeadModel(config, manager, dtype);
        };
    }

    public static CausalLM load(Path dir) {
        return load(dir, LoadOptions.auto());
    }

    public static CausalLM load(Path dir, LoadOptions options) {
        try (Checkpoint ckpt = Checkpoint.open(dir)) {
            return load(ckpt, options);
        }
    }

    /**
     * Loads every parameter from the checkpoint's weights, streaming one tensor at a time. Parameters come
     * frozen (base weights of a PEFT run); call {@code setTrainable(true)} for full fine-tuning.
     */
    public static CausalLM load(Checkpoint ckpt, LoadOptions options) {
        return load(ckpt, options.device(), options.dtype());
    }

    /** Without the device/dtype policy check, so tests can run the fp16 code path on CPU. */
    static CausalLM load(Checkpoint ckpt, Device device, DataType dtype) {
        ModelConfig config = ModelConfig.parse(ckpt.config(), ckpt.configPath());
        WeightStore weights = ckpt.weights();
        NDManager manager = NDManager.newBaseManager(device);
        CausalLM model = create(config, manager, dtype);
        try {
            Set<String> used = new HashSet<>();
            for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
                String key = resolve(weights, e.getKey(), ckpt.dir());
                used.add(key);
                TensorInfo info = weights.info(key);
                Path file = weights.file(key).path();
                if (!info.dtype().isFloating()) {
                    throw new PeftCoreException("dtype mismatch: " + info.dtype() + " where a float tensor is expected",
                            file, key);
                }
                if (!java.util.Arrays.equals(info.shape(), e.getValue().shape().getShape())) {
                    throw new PeftCoreException("shape mismatch: checkpoint has " + info + ", model expects "
                            + e.getValue().shape(), file, key);
                }
                NDArray a = weights.load(key, manager, dtype, device);
                e.getValue().set(a);
                e.getValue().setTrainable(false);
            }
            model.fuseProjections();
            long unused = weights.names().stream().filter(n -> !used.contains(n)).count();
            if (unused > 0) {
                LOG.info("{}: ignored {} checkpoint tensors the model does not use (e.g. attention bias buffers)",
                        ckpt.dir(), unused);
            }
            return model;
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static String resolve(WeightStore weights, String name, Path dir) {
        if (weights.contains(name)) {
            return name;
        }
        for (String prefix : BASE_PREFIXES) {
            if (name.startsWith(prefix) && weights.contains(name.substring(prefix.length()))) {
                return name.substring(prefix.length());
            }
        }
        throw new PeftCoreException("weight missing from checkpoint", dir, name);
    }
}
