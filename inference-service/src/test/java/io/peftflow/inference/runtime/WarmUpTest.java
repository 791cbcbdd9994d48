package io.peftflow.inference.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.scoring.LabelSet;
import io.peftflow.core.tiny.TinyModel;
import io.peftflow.core.tokenizer.Tokenizer;
import io.peftflow.data.PromptTemplate;
import io.peftflow.data.Turn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A freshly loaded base warms its scoring path up before it takes work: a classify request queued at once is scored
 * only after the warm-up (which ran every batch size up to the base's max batch), and scores exactly as on a base
 * that never warmed up (the warm-up's throw-away adapters leave nothing behind).
 */
class WarmUpTest {
    private static final LabelSet LABELS = new LabelSet(PromptTemplate.RAW, " ", List.of("groceries", "travel", "fees"));
    /** Sizes 1, 2, 4 and 8, and a mixed-adapter pass: the warm-up's first round. */
    private static final int FIRST_ROUND = 5;

    @TempDir
    Path tmp;

    @Test
    void aBaseIsWarmBeforeItsFirstRequestAndScoresAsAColdOne() throws Exception {
        Path dir = TinyModel.write(tmp.resolve("tiny"));
        ModelFiles.StagedStack version = TinyAdapters.lora(dir, tmp, LABELS, 1).get(0);
        List<long[]> prompts;
        try (Tokenizer tok = Tokenizer.load(dir)) {
            prompts = List.of("Transaction: FRESHMART 12.40\nCategory:", "Transaction: ATM FEE\nCategory:").stream()
                    .map(i -> LABELS.promptIds(tok, List.of(new Turn(Turn.USER, i)))).toList();
        }
        double[][] cold;
        try (LoadedBase base = base(dir, Duration.ZERO)) {
            cold = Futures.await(base.classify(version, prompts));
        }
        try (LoadedBase base = base(dir, Duration.ofSeconds(3))) {
            CompletableFuture<Long> warmEnded = base.warmedUp().thenApply(w -> System.nanoTime());
            CompletableFuture<Long> scored = base.classify(version, prompts).thenApply(s -> System.nanoTime());
            assertFalse(base.warmedUp().isDone(), "the request was queued during the warm-up");
            LoadedBase.WarmUp warmUp = base.warmedUp().join();
            assertTrue(warmUp.passes() >= FIRST_ROUND, "the warm-up ran every batch size: " + warmUp);
            assertTrue(scored.join() >= warmEnded.join(), "the request was scored after the warm-up");
            double[][] warm = Futures.await(base.classify(version, prompts));
            for (int r = 0; r < prompts.size(); r++) {
                for (int l = 0; l < LABELS.labels().size(); l++) {
                    assertEquals(cold[r][l], warm[r][l], 1e-5, "input " + r + " label " + l);
                }
            }
        }
    }

    private static LoadedBase base(Path dir, Duration warmUp) {
        return new LoadedBase("tiny-llama", dir, LoadOptions.cpu(), 1L << 30, 8, Duration.ZERO, 1, 8, Duration.ZERO,
                warmUp);
    }
}
