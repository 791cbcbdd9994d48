package io.peftflow.core.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peftflow.core.checkpoint.Json;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.model.ModelConfig;
import io.peftflow.core.model.Models;
import io.peftflow.core.nn.Parameter;
import io.peftflow.core.safetensors.SafetensorsWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Benchmark (not a test): peak memory of loading a ~500 MB checkpoint. Run by bench/checkpoint-load/run.sh:
 * {@code generate DIR [f16]} writes a random Llama checkpoint (F32, or F16 to exercise the converting path),
 * {@code load DIR} loads it as fp32 in a fresh JVM and reports peak heap and peak RSS against the weights' size.
 */
public final class CheckpointLoadBench {
    private CheckpointLoadBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        if (args[0].equals("generate")) {
            generate(dir, args.length > 2 && args[2].equals("f16") ? DataType.FLOAT16 : DataType.FLOAT32);
        } else {
            load(dir);
        }
    }

    /** hidden 1024, 6 layers, 16 heads / 4 KV heads, intermediate 2816, vocab 32000, untied: 133 M params. */
    private static void generate(Path dir, DataType stored) throws Exception {
        ObjectNode c = Json.MAPPER.createObjectNode();
        c.putArray("architectures").add("LlamaForCausalLM");
        c.put("hidden_size", 1024).put("num_hidden_layers", 6).put("num_attention_heads", 16)
                .put("num_key_value_heads", 4).put("intermediate_size", 2816).put("vocab_size", 32000)
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
        System.out.printf("generated %s: %.1f MB%n", dir, Files.size(dir.resolve("model.safetensors")) / 1e6);
    }

    private static void load(Path dir) throws Exception {
        // Start the engine first so its own footprint is not counted as loading cost.
        try (NDManager warm = NDManager.newBaseManager(Device.cpu())) {
            warm.ones(new ai.djl.ndarray.types.Shape(4)).sum().getFloat();
        }
        System.gc();
        long rssBefore = procStatus("VmRSS");
        long t0 = System.nanoTime();
        try (CausalLM model = Models.load(dir, LoadOptions.cpu())) {
            double secs = (System.nanoTime() - t0) / 1e9;
            long weights = model.parameterCount() * 4;
            long rssAfter = procStatus("VmRSS");
            long rssPeak = procStatus("VmHWM");
            long heapPeak = 0;
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                if (p.getType() == MemoryType.HEAP) {
                    heapPeak += p.getPeakUsage().getUsed();
                }
            }
            System.out.printf("weights (fp32 in memory)     %8.1f MB%n", weights / 1e6);
            System.out.printf("load time                    %8.2f s%n", secs);
            System.out.printf("RSS before load              %8.1f MB%n", rssBefore / 1e6);
            System.out.printf("RSS after load               %8.1f MB%n", rssAfter / 1e6);
            System.out.printf("peak RSS (VmHWM)             %8.1f MB%n", rssPeak / 1e6);
            System.out.printf("peak heap used (all pools)   %8.1f MB%n", heapPeak / 1e6);
            System.out.printf("load cost = peak RSS - RSS before = %.1f MB = %.3fx weights (goal <= 1.2x)%n",
                    (rssPeak - rssBefore) / 1e6, (rssPeak - rssBefore) / (double) weights);
        }
    }

    private static long procStatus(String key) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException(key + " not in /proc/self/status");
    }
}
