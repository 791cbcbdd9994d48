package io.peftflow.core.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.model.Models;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

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
        RandomLlama.write(dir, new RandomLlama.Shape(1024, 6, 16, 4, 2816, 32000), stored);
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
