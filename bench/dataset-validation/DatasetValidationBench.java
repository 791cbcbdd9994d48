import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.peftflow.data.ExampleParser;
import io.peftflow.dataset.balancing.BalanceStrategy;
import io.peftflow.dataset.validation.DatasetValidator;
import io.peftflow.dataset.validation.LengthCounter;
import io.peftflow.dataset.validation.ValidatedUpload;
import io.peftflow.dataset.validation.ValidationLimits;
import io.peftflow.dataset.validation.ValidationOptions;
import io.peftflow.data.ParserLimits;

import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * dataset-service's validation + balancing + split (DatasetValidator, exactly as the service runs it, minus
 * S3 and PostgreSQL) against a plain Jackson streaming parse of the same file, the practical ceiling.
 * Usage: DatasetValidationBench <file.jsonl> <megabytes> <work dir> [rounds] [balance strategy]
 * Generates the file (a seeded, imbalanced transaction-classification chat dataset) when it is missing.
 */
public final class DatasetValidationBench {
    private static final String[] LABELS = {"groceries", "restaurants", "transport", "utilities", "travel", "health"};
    /** An imbalanced label distribution: groceries dominates, health is rare. */
    private static final double[] WEIGHTS = {0.55, 0.2, 0.1, 0.08, 0.05, 0.02};
    private static final String[] MERCHANTS = {"Lidl", "Tesco", "Uber", "Shell", "EDF", "Ryanair", "Boots", "Pret", "Aldi", "Trainline"};

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        long megabytes = Long.parseLong(args[1]);
        Path work = Path.of(args[2]);
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        BalanceStrategy balance = args.length > 4 ? BalanceStrategy.parse(args[4]).orElseThrow() : BalanceStrategy.OVERSAMPLE;
        if (!Files.exists(file) || Files.size(file) < megabytes << 20) {
            generate(file, megabytes << 20);
        }
        double mb = Files.size(file) / 1e6;
        System.out.printf(Locale.ROOT, "file %s: %.1f MB, balance %s, max heap %d MB, %d processor(s)%n", file, mb,
                balance.wireName(), Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
        for (int round = 1; round <= rounds; round++) {
            double jackson = time(() -> jacksonParse(file));
            long[] kept = new long[1];
            System.gc();
            double validator = time(() -> kept[0] = validate(file, work, balance));
            System.out.printf(Locale.ROOT, "round %d: jackson %.1f MB/s (%.1f s) | validate+balance+split %.1f MB/s (%.1f s), "
                            + "%d train lines | ratio %.2f%n", round, mb / jackson, jackson, mb / validator, validator, kept[0],
                    jackson / validator);
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    private static double time(Work work) throws Exception {
        long t0 = System.nanoTime();
        work.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The ceiling: every token of the file, nothing else. */
    private static void jacksonParse(Path file) throws Exception {
        long tokens = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             JsonParser p = new JsonFactory().createParser(in)) {
            while (p.nextToken() != null) {
                tokens++;
            }
        }
        if (tokens == 0) {
            throw new IllegalStateException("no tokens");
        }
    }

    private static long validate(Path file, Path work, BalanceStrategy balance) throws Exception {
        ParserLimits parser = ParserLimits.DEFAULT;
        ValidationLimits limits = new ValidationLimits(parser, 10, 1000, 20, 1000, 20, 64, 9, 10, 100);
        var options = new ValidationOptions(true, balance, 0.1, 1, 2,
                null, LengthCounter.CHARACTERS);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             ValidatedUpload up = new DatasetValidator(limits, options, new ExampleParser(parser)).run(in, work)) {
            return up.counts().get("train");
        }
    }

    private static void generate(Path file, long bytes) throws Exception {
        System.out.printf(Locale.ROOT, "generating %s (%d MB)...%n", file, bytes >> 20);
        SplittableRandom random = new SplittableRandom(20261128);
        long written = 0;
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (long i = 0; written < bytes; i++) {
                String label = pick(random);
                String line = "{\"messages\":[{\"role\":\"system\",\"content\":\"You classify card transactions into one of: "
                        + String.join(", ", LABELS) + ". Answer with the category only.\"},"
                        + "{\"role\":\"user\",\"content\":\"Transaction " + i + ": " + MERCHANTS[random.nextInt(MERCHANTS.length)]
                        + " " + (random.nextInt(20000) / 100.0) + " EUR on 2026-" + (1 + random.nextInt(12)) + "-"
                        + (1 + random.nextInt(28)) + ", card ending " + random.nextInt(10000) + ", reference "
                        + Long.toHexString(random.nextLong()) + ". Which category?\"},"
                        + "{\"role\":\"assistant\",\"content\":\"" + label + "\"}],\"label\":\"" + label + "\"}\n";
                out.write(line);
                written += line.length();
            }
        }
    }

    private static String pick(SplittableRandom random) {
        double u = random.nextDouble();
        for (int i = 0; i < LABELS.length; i++) {
            u -= WEIGHTS[i];
            if (u < 0) {
                return LABELS[i];
            }
        }
        return LABELS[0];
    }
}
