package io.peftflow.inference.runtime;

import io.peftflow.core.generation.SampledGenerator;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.scoring.LabelSet;
import io.peftflow.core.tiny.TinyModel;
import io.peftflow.core.tokenizer.Tokenizer;
import io.peftflow.data.PromptTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Completions throughput of one base on the CPU (bench/inference-completions/run.sh): {@code CLIENTS} closed-loop
 * clients each asking {@code REQUESTS} completions of {@code NEW} tokens (fixed lengths: no stop token), alternating
 * between two LoRA versions, half greedy and half seeded sampling, prompts of 6 to 20 tokens; through the service's
 * decoding batch ({@code completions.max-batch} 16, continuous batching) and one at a time (max-batch 1), the order
 * alternating over {@code ROUNDS} rounds. Prints a {@code RESULT} line per run.
 */
public final class CompletionsBench {
    private static final LabelSet LABELS = new LabelSet(PromptTemplate.RAW, " ", List.of("a", "b"));

    private CompletionsBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("bench.rounds", 3);
        int clients = Integer.getInteger("bench.clients", 16);
        int requests = Integer.getInteger("bench.requests", 4);
        int newTokens = Integer.getInteger("bench.new", 32);
        Path tmp = Files.createTempDirectory("completions-bench");
        Path dir = TinyModel.write(tmp.resolve("tiny"));
        List<ModelFiles.StagedStack> versions = TinyAdapters.lora(dir, tmp, LABELS, 2);
        try (Tokenizer tok = Tokenizer.load(dir);
             LoadedBase batched = new LoadedBase("batched", dir, LoadOptions.cpu(), 1L << 30, 32, Duration.ZERO, 1, 16,
                     Duration.ofMillis(2), Duration.ZERO);
             LoadedBase alone = new LoadedBase("alone", dir, LoadOptions.cpu(), 1L << 30, 32, Duration.ZERO, 1, 1,
                     Duration.ofMillis(2), Duration.ZERO)) {
            for (LoadedBase base : List.of(batched, alone)) {
                run(base, tok, versions, clients, 1, newTokens); // warm-up: JIT, the adapters' first load
            }
            for (int r = 1; r <= rounds; r++) {
                List<LoadedBase> order = r % 2 == 1 ? List.of(batched, alone) : List.of(alone, batched);
                for (LoadedBase base : order) {
                    long start = System.nanoTime();
                    int tokens = run(base, tok, versions, clients, requests, newTokens);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    System.out.printf(Locale.ROOT, "RESULT round=%d mode=%s clients=%d requests=%d new=%d tokens=%d "
                                    + "seconds=%.2f rps=%.2f tokens_per_s=%.1f%n", r, base.name(), clients,
                            clients * requests, newTokens, tokens, seconds, clients * requests / seconds,
                            tokens / seconds);
                }
            }
        }
    }

    /** The clients' requests through {@code base}; the tokens generated. */
    private static int run(LoadedBase base, Tokenizer tok, List<ModelFiles.StagedStack> versions, int clients,
                           int requests, int newTokens) throws InterruptedException {
        int[] tokens = new int[clients];
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                for (int i = 0; i < requests; i++) {
                    int n = client * requests + i;
                    long[] prompt = tok.encodePrompt("Transaction: CARD PAYMENT " + "SHOP ".repeat(n % 8) + n);
                    Completer.Generation g = new Completer.Generation(versions.get(n % 2).version(), prompt.length, tok,
                            List.of());
                    base.generate(new Decoder.Request(versions.get(n % 2), prompt, newTokens,
                            new SampledGenerator.Sampling(n % 2 == 0 ? 0 : 0.8, 1, n), List.of(), g, System.nanoTime()));
                    try {
                        g.text(() -> false);
                    } catch (InterruptedException e) {
                        return;
                    }
                    tokens[client] += g.completionTokens();
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        int total = 0;
        for (int t : tokens) {
            total += t;
        }
        return total;
    }
}
