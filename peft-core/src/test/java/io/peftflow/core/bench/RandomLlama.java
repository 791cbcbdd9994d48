package io.peftflow.core.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peftflow.core.checkpoint.Json;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.ModelConfig;
import io.peftflow.core.model.Models;
import io.peftflow.core.nn.Parameter;
import io.peftflow.core.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Random Llama checkpoints (weights N(0, 0.02), untied) of a given shape, for benchmarks. */
final class RandomLlama {
    /** A Llama shape: hidden size, layers, attention and KV heads, MLP width, vocabulary. */
    record Shape(int hidden, int layers, int heads, int kvHeads, int intermediate, int vocab) {
    }

    private RandomLlama() {
    }

    /** Writes {@code config.json} and {@code model.safetensors} (weights stored as {@code stored}) into {@code dir}. */
    static void write(Path dir, Shape shape, DataType stored) throws IOException {
        ObjectNode c = Json.MAPPER.createObjectNode();
        c.putArray("architectures").add("LlamaForCausalLM");
        c.put("hidden_size", shape.hidden()).put("num_hidden_layers", shape.layers())
                .put("num_attention_heads", shape.heads()).put("num_key_value_heads", shape.kvHeads())
                .put("intermediate_size", shape.intermediate()).put("vocab_size", shape.vocab())
                .put("max_position_embeddings", 2048).put("tie_word_embeddings", false);
        Files.createDirectories(dir);
        Json.MAPPER.writeValue(dir.resolve("config.json").toFile(), c);
        ModelConfig mc = ModelConfig.parse(c, dir.resolve("config.json"));
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            CausalLM skeleton = Models.create(mc, m, DataType.FLOAT32);
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, Parameter> e : skeleton.namedParameters().entrySet()) {
                NDArray w = m.randomNormal(0, 0.02f, e.getValue().shape(), DataType.FLOAT32);
                tensors.put(e.getKey(), stored == DataType.FLOAT32 ? w : w.toType(stored, false));
            }
            SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors);
        }
    }
}
