package io.peftflow.core.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.peftflow.core.generation.CollectedTokens;
import io.peftflow.core.generation.DecodingBatch;
import io.peftflow.core.generation.GreedyGenerator;
import io.peftflow.core.generation.SampledGenerator;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.model.Models;
import io.peftflow.core.model.NativeLlamaDecode;
import io.peftflow.core.tiny.TinyModel;
import io.peftflow.core.tuners.PeftModel;
import io.peftflow.core.tuners.TargetModules;
import io.peftflow.core.tuners.Inits;
import io.peftflow.core.tuners.lora.LoraAdapter;
import io.peftflow.core.tuners.lora.LoraConfig;
import io.peftflow.core.tuners.lora.RowLora;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Greedy decode throughput of peft-core through LoRA adapters (issue 23's GPU benchmark), the peer of
 * {@code bench/inference-decode/hf_decode.py}: the same checkpoint, the same adapters, the same prompt ids (a formula
 * both sides share), fixed output lengths (no stop token). Cases ({@code -Dbench.cases}, comma-separated):
 * <ul>
 *   <li>{@code b1-merged}: one prompt, adapter 0 merged into the base weights;</li>
 *   <li>{@code b1}: one prompt through adapter 0 unmerged;</li>
 *   <li>{@code b32}: 32 prompts through adapter 0 unmerged (its hooks);</li>
 *   <li>{@code b32-merged}: 32 prompts, adapter 0 merged;</li>
 *   <li>{@code b32-mixed8}: 32 prompts, row r through adapter r % 8 in the same batch ({@link RowLora});</li>
 *   <li>{@code b32-rows1}: 32 prompts all through adapter 0 by {@link RowLora} (its broadcast path);</li>
 *   <li>{@code b1-batch}, {@code b32-batch}: 1 or 32 prompts through adapter 0 unmerged, decoded as sequences of a
 *   {@link DecodingBatch} (the inference-service's continuous batching: each prompt joins alone, then one step for
 *   all rows), greedy.</li>
 * </ul>
 * Each case: warm-up runs, then timed runs of one whole {@code generate} (prefill included, as HF's), tokens/s =
 * batch x new tokens / seconds. Each timed run also runs the prompt with one new token alone: the difference, over
 * new tokens - 1, is a decode step's milliseconds without the prefill, in wall time and in the calling thread's CPU
 * time (on a CPU run with one intra-op thread, {@code -Dai.djl.pytorch.num_threads=1}, the step's whole work, which
 * unlike wall time barely moves when other processes share the cores). The RESULT line lists every run and the
 * medians. With the native decode engine configured ({@code -Dpeftflow.decode.native=libpeftflow_decode.so}), each
 * case first decodes once through the TorchScript stack and once through the engine and reports how many tokens
 * agree. Checkpoint: a directory (fp16 on CUDA, where there is one), {@code tiny} (the
 * embedded model) or {@code narrow} (TinyLlama's 22 layers and 8:1 grouped-query heads at hidden 64, random: on a CPU
 * its compute is small, so a step's time is mostly the host's work of issuing it, the GPU decode's bottleneck); adapters: a directory holding {@code adapter-0} ..
 * {@code adapter-7} in PEFT format (hf_decode.py writes them) or, without one, r=16 alpha=32 on q,k,v,o with seeded
 * random A and B. {@code -Dbench.cpu=true} forces the CPU (fp32). Usage:
 * {@code DecodeBench <checkpoint|tiny|narrow> [adapters-dir]} with {@code -Dbench.prompt=64 -Dbench.new=128
 * -Dbench.warmup=1 -Dbench.runs=3}.
 */
public final class DecodeBench {
    private static final int ADAPTERS = 8;
    private static final int PROMPT = Integer.getInteger("bench.prompt", 64);
    private static final int NEW = Integer.getInteger("bench.new", 128);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 1);
    private static final int RUNS = Integer.getInteger("bench.runs", 3);

    private DecodeBench() {
    }

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "tiny";
        Path adapters = args.length > 1 ? Path.of(args[1]) : null;
        List<String> cases = List.of(System.getProperty("bench.cases", "b1-merged,b32,b32-mixed8").split(","));
        // seeded before the narrow model is written, so every run decodes the same weights
        Engine.getInstance().setRandomSeed(0);
        Path dir = switch (which) {
            case "tiny" -> TinyModel.write(Files.createTempDirectory("decode").resolve("tiny"));
            case "narrow" -> {
                Path d = Files.createTempDirectory("decode").resolve("narrow");
                RandomLlama.write(d, new RandomLlama.Shape(64, 22, 8, 1, 176, 2048), DataType.FLOAT32);
                yield d;
            }
            default -> Path.of(which);
        };
        LoadOptions options = Boolean.getBoolean("bench.cpu") ? LoadOptions.cpu() : LoadOptions.auto();
        try (CausalLM model = Models.load(dir, options); NDManager m = model.manager().newSubManager()) {
            PeftModel peft = new PeftModel(model);
            List<String> names = IntStream.range(0, ADAPTERS).mapToObj(i -> "adapter-" + i).toList();
            for (int i = 0; i < ADAPTERS; i++) {
                if (adapters != null) {
                    peft.load(adapters.resolve(names.get(i)), names.get(i));
                } else {
                    peft.add(names.get(i), new LoraConfig(16, 32,
                            TargetModules.of("q_proj", "k_proj", "v_proj", "o_proj")), i);
                    for (var p : peft.adapter(names.get(i)).parameters().values()) {
                        // B starts at zero (a no-op adapter); seeded noise in A and B makes every adapter act
                        NDArray old = p.array();
                        Inits.normal(p, m, i, p.name(), 0.02);
                        old.close();
                    }
                }
            }
            System.out.printf(Locale.ROOT, "RESULT setup %s on %s %s: %d adapters %s, prompt %d, %d new tokens, %d "
                    + "warm-up + %d timed runs per case, native decode %s%n", dir, model.device(), model.dtype(), ADAPTERS,
                    adapters == null ? "generated (r=16 alpha=32 q,k,v,o)" : "from " + adapters, PROMPT, NEW, WARMUP,
                    RUNS, NativeLlamaDecode.library() == null ? "off" : NativeLlamaDecode.library());
            // generations prepared by the active adapters (LoRA packed once per generate), so layers run fused
            GreedyGenerator generator = peft.generator();
            for (String c : cases) {
                int batch = c.startsWith("b1") ? 1 : 32;
                List<long[]> prompts = prompts(batch, model.config().vocabSize());
                peft.setActive(names.get(0));
                LoraAdapter first = (LoraAdapter) peft.adapter(names.get(0));
                switch (c) {
                    case "b1", "b32" -> report(c, prompts, generator::generate);
                    case "b1-batch", "b32-batch" -> report(c, prompts, (p, n, stop) -> decodingBatch(peft, p, n));
                    case "b1-merged", "b32-merged" -> {
                        first.merge();
                        report(c, prompts, generator::generate);
                        first.unmerge();
                    }
                    case "b32-mixed8", "b32-rows1" -> {
                        try (RowLora rows = RowLora.attach(peft, names)) {
                            int kinds = c.equals("b32-mixed8") ? ADAPTERS : 1;
                            rows.rows(IntStream.range(0, batch).map(r -> r % kinds).toArray());
                            report(c, prompts, generator::generate);
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown case " + c + "; cases: b1-merged, b1, "
                            + "b32, b32-merged, b32-mixed8, b32-rows1, b1-batch, b32-batch");
                }
            }
        }
    }

    /**
     * {@code batch} prompts of {@link #PROMPT} ids: row r, position i holds {@code 3 + (r * 7919 + i * 104729) mod
     * (vocab - 3)} (hf_decode.py uses the same formula), so both sides decode the same inputs.
     */
    static List<long[]> prompts(int batch, int vocab) {
        List<long[]> out = new ArrayList<>();
        for (int r = 0; r < batch; r++) {
            long[] p = new long[PROMPT];
            for (int i = 0; i < PROMPT; i++) {
                p[i] = 3 + ((long) r * 7919 + (long) i * 104729) % (vocab - 3);
            }
            out.add(p);
        }
        return out;
    }

    /** A way to generate: {@link GreedyGenerator#generate}'s signature. */
    private interface Generation {
        List<long[]> generate(List<long[]> prompts, int maxNewTokens, List<Long> stop);
    }

    /** {@code prompts} as greedy sequences of one {@link DecodingBatch}, each joining alone, then stepped together. */
    private static List<long[]> decodingBatch(PeftModel peft, List<long[]> prompts, int maxNewTokens) {
        List<CollectedTokens> out = new ArrayList<>();
        try (DecodingBatch batch = new DecodingBatch(peft)) {
            for (long[] prompt : prompts) {
                out.add(new CollectedTokens());
                batch.join(prompt, maxNewTokens, new SampledGenerator.Sampling(0, 1, 0), List.of(), 0,
                        out.get(out.size() - 1));
            }
            while (!batch.isEmpty()) {
                batch.step();
            }
        }
        return out.stream().map(CollectedTokens::tokens).toList();
    }

    private static void report(String name, List<long[]> prompts, Generation generator) {
        int batch = prompts.size();
        if (NativeLlamaDecode.library() != null) {
            // the native engine's tokens against the TorchScript stack's on the same inputs, before the timed runs
            NativeLlamaDecode.enable(false);
            List<long[]> stack = generator.generate(prompts, NEW, List.of());
            NativeLlamaDecode.enable(true);
            List<long[]> engine = generator.generate(prompts, NEW, List.of());
            int equal = 0;
            int total = 0;
            int firstDiff = Integer.MAX_VALUE;
            for (int r = 0; r < batch; r++) {
                for (int i = 0; i < Math.min(stack.get(r).length, engine.get(r).length); i++) {
                    total++;
                    if (stack.get(r)[i] == engine.get(r)[i]) {
                        equal++;
                    } else {
                        firstDiff = Math.min(firstDiff, i);
                    }
                }
            }
            System.out.printf(Locale.ROOT, "RESULT native-check case=%s tokens_equal=%d/%d first_difference_at=%s%n",
                    name, equal, total, firstDiff == Integer.MAX_VALUE ? "none" : firstDiff);
        }
        double[] rates = new double[RUNS];
        double[] stepMs = new double[RUNS];
        double[] stepCpuMs = new double[RUNS];
        List<long[]> out = null;
        for (int i = 0; i < WARMUP + RUNS; i++) {
            // the prompt and one token alone, then the whole run: their difference is NEW - 1 decode steps
            long[] first = timed(() -> generator.generate(prompts, 1, List.of()));
            List<long[]>[] result = new List[1];
            long[] whole = timed(() -> result[0] = generator.generate(prompts, NEW, List.of()));
            out = result[0];
            int steps = out.get(0).length;
            if (i >= WARMUP) {
                rates[i - WARMUP] = batch * (double) steps / (whole[0] / 1e9);
                stepMs[i - WARMUP] = (whole[0] - first[0]) / 1e6 / (steps - 1);
                stepCpuMs[i - WARMUP] = (whole[1] - first[1]) / 1e6 / (steps - 1);
            }
        }
        System.out.printf(Locale.ROOT, "RESULT decode impl=peft-core case=%s batch=%d prompt=%d new=%d "
                + "tokens_per_s=%.1f runs=%s decode_step_ms=%.2f step_runs=%s decode_step_thread_cpu_ms=%.2f "
                + "cpu_runs=%s first_tokens=%s%n", name, batch, PROMPT, out.get(0).length, median(rates), list(rates),
                median(stepMs), list(stepMs), median(stepCpuMs), list(stepCpuMs),
                Arrays.toString(Arrays.copyOf(out.get(0), 8)).replace(" ", ""));
    }

    /** Wall and calling-thread CPU nanoseconds of one run. */
    private static long[] timed(Runnable run) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long t0 = System.nanoTime();
        long c0 = threads.getCurrentThreadCpuTime();
        run.run();
        return new long[] {System.nanoTime() - t0, threads.getCurrentThreadCpuTime() - c0};
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return (sorted[(sorted.length - 1) / 2] + sorted[sorted.length / 2]) / 2;
    }

    private static String list(double[] values) {
        StringBuilder out = new StringBuilder();
        for (double v : values) {
            out.append(out.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.1f", v));
        }
        return out.toString();
    }
}
