package io.peftflow.inference.runtime;

import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.scoring.LabelSet;
import io.peftflow.core.tiny.TinyModel;
import io.peftflow.core.tokenizer.Tokenizer;
import io.peftflow.data.PromptTemplate;
import io.peftflow.data.Turn;
import io.peftflow.data.sample.TransactionDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where a fresh replica's first classify passes lose time (bench/inference-classify/warm-up-passes.sh runs it): in a new
 * JVM, one base and a LoRA version shaped like the demo's (r 8 on q, k, v, o; the 8 transaction labels), the time of
 * the first, second and third pass at each batch size the dynamic batcher forms, against the same size once warm; then
 * the same on a second base in the same JVM (the JIT warm, PyTorch's state per model new) and a second version on the
 * warm base (only the version new), and batch sizes and a prompt length new to the warm JVM. Prints a {@code PASS}
 * line per case and size. {@code -Dbench.warmUpMs=N}: the bases warm up first, as the service's do.
 */
public final class ClassifyWarmupBench {
    private static final int[] SIZES = {1, 2, 4, 8, 16, 32};
    private static final List<String> MERCHANTS = List.of("STARBUCKS #4411 AUSTIN TX 5.40",
            "UBER TRIP #102 CHICAGO IL 23.10", "NETFLIX #88 BOSTON MA 15.99", "WALMART #301 DENVER CO 82.17",
            "CVS PHARMACY #7 MIAMI FL 12.30", "DELTA AIR LINES #9 NEW YORK NY 310.00");

    private ClassifyWarmupBench() {
    }

    public static void main(String[] args) throws Exception {
        Path tmp = Files.createTempDirectory("classify-warmup-bench");
        Path dir = TinyModel.write(tmp.resolve("tiny"));
        LabelSet labels = new LabelSet(PromptTemplate.RAW, " ",
                TransactionDataset.CATEGORIES.stream().map(TransactionDataset.Category::name).toList());
        List<ModelFiles.StagedStack> versions = TinyAdapters.lora(dir, tmp, labels, 2);
        List<long[]> prompts;
        try (Tokenizer tok = Tokenizer.load(dir)) {
            prompts = MERCHANTS.stream().map(m -> labels.promptIds(tok,
                    List.of(new Turn(Turn.USER, "Transaction: " + m + "\nCategory:")))).toList();
        }
        Duration warmUp = Duration.ofMillis(Long.getLong("bench.warmUpMs", 0));
        for (String phase : List.of("fresh-jvm", "second-base")) {
            long start = System.nanoTime();
            try (LoadedBase base = new LoadedBase(phase, dir, LoadOptions.cpu(), 1L << 30, 32, Duration.ZERO, 1, 32,
                    Duration.ZERO, warmUp)) {
                LoadedBase.WarmUp w = base.warmedUp().join();
                System.out.printf(Locale.ROOT, "LOAD case=%s base_ms=%.1f warm_up_passes=%d warm_up_ms=%d%n", phase,
                        ms(start), w.passes(), w.took().toMillis());
                measure(phase, base, versions.get(0), prompts);
                if (phase.equals("second-base")) {
                    measure("second-version", base, versions.get(1), prompts);
                    newShapes(base, versions.get(1), prompts);
                }
            }
        }
    }

    /** Per size: the first three passes in a row, then 30 rounds over every size, then the median of ten per size. */
    private static void measure(String label, LoadedBase base, ModelFiles.StagedStack version, List<long[]> prompts) {
        double[][] first = new double[SIZES.length][3];
        for (int s = 0; s < SIZES.length; s++) {
            for (int i = 0; i < 3; i++) {
                first[s][i] = pass(base, version, prompts, SIZES[s]);
            }
        }
        // every size once per round: how many rounds until a round costs what a warm one does
        for (int round = 1; round <= 30; round++) {
            double total = 0;
            for (int size : SIZES) {
                total += pass(base, version, prompts, size);
            }
            if (round <= 3 || round % 5 == 0) {
                System.out.printf(Locale.ROOT, "ROUND case=%s round=%d all_sizes_ms=%.1f%n", label, round, total);
            }
        }
        for (int s = 0; s < SIZES.length; s++) {
            double[] warm = new double[10];
            for (int i = 0; i < warm.length; i++) {
                warm[i] = pass(base, version, prompts, SIZES[s]);
            }
            Arrays.sort(warm);
            double median = (warm[4] + warm[5]) / 2;
            System.out.printf(Locale.ROOT, "PASS case=%s rows=%d first_ms=%.1f second_ms=%.1f third_ms=%.1f "
                            + "warm_median_ms=%.1f first_over_warm=%.1f%n", label, SIZES[s], first[s][0], first[s][1],
                    first[s][2], median, first[s][0] / median);
        }
    }

    /** On the warm JVM, batch sizes and a prompt length not seen yet: the first pass of each against the next. */
    private static void newShapes(LoadedBase base, ModelFiles.StagedStack version, List<long[]> prompts) {
        for (int rows : new int[] {3, 5, 12, 24}) {
            double first = pass(base, version, prompts, rows);
            double second = pass(base, version, prompts, rows);
            System.out.printf(Locale.ROOT, "NEW case=new-size rows=%d first_ms=%.1f second_ms=%.1f%n", rows, first,
                    second);
        }
        long[] longer = Arrays.copyOf(prompts.get(0), prompts.get(0).length + 7);
        Arrays.fill(longer, prompts.get(0).length, longer.length, prompts.get(0)[1]);
        for (int rows : new int[] {1, 16}) {
            double first = pass(base, version, List.of(longer), rows);
            double second = pass(base, version, List.of(longer), rows);
            System.out.printf(Locale.ROOT, "NEW case=new-length rows=%d first_ms=%.1f second_ms=%.1f%n", rows, first,
                    second);
        }
    }

    /** One classify pass of {@code rows} prompts (the merchants in turn), in ms. */
    private static double pass(LoadedBase base, ModelFiles.StagedStack version, List<long[]> prompts, int rows) {
        List<long[]> batch = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            batch.add(prompts.get(i % prompts.size()));
        }
        long start = System.nanoTime();
        Futures.await(base.classify(version, batch));
        return ms(start);
    }

    private static double ms(long start) {
        return (System.nanoTime() - start) / 1e6;
    }
}
