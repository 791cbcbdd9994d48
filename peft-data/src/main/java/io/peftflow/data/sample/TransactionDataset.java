package io.peftflow.data.sample;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peftflow.data.Example;
import io.peftflow.data.ExampleFormat;
import io.peftflow.data.Turn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A seeded generator of an imbalanced transaction-classification dataset in the prompt/completion JSONL format:
 * {@code {"prompt": "Transaction: STARBUCKS #1234 SEATTLE WA 4.75\nCategory:", "completion": " dining"}}.
 * The merchant decides the category; store number, city and amount are noise. Three head categories hold 90% of
 * the examples and five tail categories 10% (largest to smallest 45:1), like real spending data. The same seed
 * always gives the same lines, so tests, the demo and the benchmarks share one dataset definition.
 */
public final class TransactionDataset {
    /** The category of each example, as the completion (after one space). */
    public record Category(String name, double share, List<String> merchants) {
    }

    public static final List<Category> CATEGORIES = List.of(
            new Category("groceries", 0.45, List.of("WALMART", "TESCO STORES", "ALDI MARKET", "WHOLE FOODS", "KROGER")),
            new Category("dining", 0.30, List.of("STARBUCKS", "MCDONALDS", "PIZZA HUT", "SUBWAY", "DOORDASH")),
            new Category("transport", 0.15, List.of("UBER TRIP", "LYFT RIDE", "SHELL", "CHEVRON", "METRO TRANSIT")),
            new Category("utilities", 0.03, List.of("ELECTRIC COMPANY", "WATER UTILITY", "COMCAST", "VERIZON")),
            new Category("entertainment", 0.025, List.of("NETFLIX", "SPOTIFY", "HULU", "STEAM GAMES")),
            new Category("shopping", 0.02, List.of("AMAZON MARKETPLACE", "IKEA", "BEST BUY", "ZARA")),
            new Category("health", 0.015, List.of("CVS PHARMACY", "WALGREENS", "DENTAL CLINIC", "PLANET FITNESS")),
            new Category("travel", 0.01, List.of("DELTA AIR LINES", "MARRIOTT", "AIRBNB", "EXPEDIA")));

    static final String[][] CITIES = {
        {"SEATTLE", "WA"}, {"NEW YORK", "NY"}, {"AUSTIN", "TX"}, {"CHICAGO", "IL"}, {"BOSTON", "MA"},
        {"DENVER", "CO"}, {"MIAMI", "FL"}, {"PORTLAND", "OR"}};

    private static final ObjectMapper JSON = new ObjectMapper();

    private TransactionDataset() {
    }

    /** One generated example. */
    public record Transaction(String description, String category) {
        /** The prompt the model completes. */
        public String prompt() {
            return "Transaction: " + description + "\nCategory:";
        }

        /** The example the JSONL line parses to: a user turn (the prompt) and an assistant turn (" category"). */
        public Example toExample() {
            return new Example(ExampleFormat.PROMPT_COMPLETION,
                    List.of(new Turn(Turn.USER, prompt()), new Turn(Turn.ASSISTANT, " " + category)), null);
        }

        /** The prompt/completion JSONL line. */
        public String toJsonLine() {
            ObjectNode o = JSON.createObjectNode().put("prompt", prompt()).put("completion", " " + category);
            return o.toString();
        }
    }

    /** {@code n} transactions, deterministic for {@code seed}. */
    public static List<Transaction> generate(int n, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        Random r = new Random(seed);
        List<Transaction> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Category c = pick(r.nextDouble());
            String merchant = c.merchants().get(r.nextInt(c.merchants().size()));
            String[] city = CITIES[r.nextInt(CITIES.length)];
            String amount = String.format(Locale.ROOT, "%.2f", 1 + r.nextInt(20000) / 100.0);
            String desc = merchant + " #" + (1000 + r.nextInt(9000)) + " " + city[0] + " " + city[1] + " " + amount;
            out.add(new Transaction(desc, c.name()));
        }
        return out;
    }

    /** The JSONL text of {@link #generate}, one line per example. */
    public static String jsonl(int n, long seed) {
        StringBuilder sb = new StringBuilder();
        generate(n, seed).forEach(t -> sb.append(t.toJsonLine()).append('\n'));
        return sb.toString();
    }

    /** Writes {@link #jsonl} to {@code file}; returns it. */
    public static Path write(Path file, int n, long seed) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            return Files.writeString(file, jsonl(n, seed), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** {@code TransactionDataset FILE [N=1200] [SEED=42]}: writes the sample dataset (the demo uploads it). */
    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: TransactionDataset FILE [N] [SEED]");
            System.exit(2);
        }
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1200;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 42;
        System.out.println("wrote " + n + " transactions to " + write(Path.of(args[0]), n, seed));
    }

    private static Category pick(double u) {
        double acc = 0;
        for (Category c : CATEGORIES) {
            acc += c.share();
            if (u < acc) {
                return c;
            }
        }
        return CATEGORIES.get(CATEGORIES.size() - 1);
    }
}
