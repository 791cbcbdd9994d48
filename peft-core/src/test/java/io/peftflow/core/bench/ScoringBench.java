package io.peftflow.core.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.model.Models;
import io.peftflow.core.scoring.LabelScorer;
import io.peftflow.core.scoring.LabelSet;
import io.peftflow.core.tiny.TinyModel;
import io.peftflow.core.tokenizer.Tokenizer;
import io.peftflow.core.tuners.Inits;
import io.peftflow.core.tuners.PeftModel;
import io.peftflow.core.tuners.TargetModules;
import io.peftflow.core.tuners.lora.LoraConfig;
import io.peftflow.data.PromptTemplate;
import io.peftflow.data.Turn;
import io.peftflow.data.sample.TransactionDataset;
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
 * CPU cost of one classify pass as inference-service runs it (issue 23's CPU goal): the embedded tiny Llama with LoRA
 * r=8 alpha=16 on q,k,v,o (the demo's recipe, seeded random weights), the demo's 8 transaction categories (or
 * {@code -Dbench.labels=N} labels "category 0" .. "category N-1", as LabelScorerTest's 200), prompts of the demo's
 * shape, one torch thread, on a thread of its own as inference-service scores. For each batch size
 * ({@code -Dbench.batches=1,8,16}): warm-up passes, then
 * {@code -Dbench.passes} timed ones; a RESULT line gives the median milliseconds per pass of the thread's CPU time and
 * of wall time. Also prints the scores of the first prompts (SCORES) so that two builds can be compared for equality.
 * Usage: {@code ScoringBench} with {@code -Dbench.passes=100 -Dbench.warmup=20}.
 */
public final class ScoringBench {
    private static final int PASSES = Integer.getInteger("bench.passes", 100);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 20);

    private ScoringBench() {
    }

    public static void main(String[] args) throws Exception {
        int[] batches = Arrays.stream(System.getProperty("bench.batches", "1,8,16").split(","))
                .mapToInt(Integer::parseInt).toArray();
        Path dir = TinyModel.write(Files.createTempDirectory("scoring-bench").resolve("tiny"));
        try (CausalLM model = Models.load(dir, LoadOptions.cpu()); Tokenizer tok = Tokenizer.load(dir);
             NDManager m = model.manager().newSubManager()) {
            PeftModel peft = new PeftModel(model);
            peft.add("demo", new LoraConfig(8, 16, TargetModules.of("q_proj", "k_proj", "v_proj", "o_proj")), 42);
            long seed = 1;
            for (var p : peft.adapter("demo").parameters().values()) {
                Inits.normal(p, m, seed++, p.name(), 0.05);
            }
            peft.freeze("demo");
            int many = Integer.getInteger("bench.labels", 0);
            LabelSet labels = new LabelSet(PromptTemplate.RAW, " ", many > 0
                    ? IntStream.range(0, many).mapToObj(i -> "category " + i).toList()
                    : TransactionDataset.CATEGORIES.stream().map(TransactionDataset.Category::name).toList());
            LabelScorer scorer = new LabelScorer(peft, labels.continuations(tok));
            List<long[]> prompts = new ArrayList<>();
            for (var example : TransactionDataset.generate(64, 7)) {
                prompts.add(labels.promptIds(tok, List.of(new Turn(Turn.USER, example.prompt()))));
            }
            // on a thread of its own, as inference-service's base thread (libtorch's per-thread settings at their
            // defaults there: one torch thread set below, grad mode on)
            Thread scoring = new Thread(() -> measure(scorer, prompts, batches), "scoring");
            scoring.start();
            scoring.join();
        }
    }

    private static void measure(LabelScorer scorer, List<long[]> prompts, int[] batches) {
        JniUtils.setNumThreads(1); // as inference-service's torch-threads default
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        double[][] scores = scorer.logLikelihoods(prompts.subList(0, 4));
        for (double[] row : scores) {
            System.out.println("SCORES " + Arrays.toString(row));
        }
        for (int b : batches) {
            double[] cpuMs = new double[PASSES];
            double[] wallMs = new double[PASSES];
            for (int i = 0; i < WARMUP + PASSES; i++) {
                int from = (i * b) % (prompts.size() - b + 1);
                List<long[]> batch = prompts.subList(from, from + b);
                long c0 = cpu.getCurrentThreadCpuTime();
                long w0 = System.nanoTime();
                scorer.logLikelihoods(batch);
                if (i >= WARMUP) {
                    cpuMs[i - WARMUP] = (cpu.getCurrentThreadCpuTime() - c0) / 1e6;
                    wallMs[i - WARMUP] = (System.nanoTime() - w0) / 1e6;
                }
            }
            System.out.printf(Locale.ROOT, "RESULT inputs=%d passes=%d cpu_ms=%.2f wall_ms=%.2f%n", b, PASSES,
                    median(cpuMs), median(wallMs));
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
