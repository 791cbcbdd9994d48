package io.peftflow.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peftflow.core.training.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Length buckets group similar lengths in an order fixed by (seed, epoch); one batch per bucket is a random sampler's
 * order, also fixed by the seed. Pure logic: no engine.
 */
class LengthBatcherTest {
    /** 400 sequences of 1 to 64 tokens. */
    private static final List<Sequence> MIXED = mixed(400);

    @Test
    void theDefaultOrderIsUnchanged() {
        // the platform's workers train in this order: pinned so that a change to it is a decision, not an accident
        List<Sequence> twenty = IntStream.range(0, 20).mapToObj(i -> sequence(i, 1 + (i * 7) % 11)).toList();
        assertEquals(List.of(List.of(0, 8, 16, 10), List.of(11, 19, 9, 14), List.of(7, 15, 6, 3),
                List.of(4, 1, 12, 17), List.of(5, 2, 13, 18)), sources(new LengthBatcher(twenty, 4, 2, 42).epoch(0)));
        assertEquals(List.of(List.of(0, 19, 6, 3), List.of(18, 4, 15, 1), List.of(11, 16, 13, 7),
                List.of(8, 5, 2, 10), List.of(12, 9, 17, 14)), sources(new LengthBatcher(twenty, 4, 2, 42).epoch(1)));
        assertEquals(16, TrainingConfig.BUCKET_BATCHES);
        assertEquals(TrainingConfig.BUCKET_BATCHES, TrainingConfig.builder().build().bucketBatches());
    }

    @Test
    void oneBatchPerBucketIsARandomOrderFixedBySeedAndEpoch() {
        List<List<Sequence>> random = new LengthBatcher(MIXED, 16, 1, 7).epoch(0);
        coversEachOnceInFullBatches(random);
        assertEquals(sources(random), sources(new LengthBatcher(MIXED, 16, 1, 7).epoch(0)), "same seed, same order");
        assertNotEquals(sources(random), sources(new LengthBatcher(MIXED, 16, 1, 8).epoch(0)), "another seed");
        assertNotEquals(sources(random), sources(new LengthBatcher(MIXED, 16, 1, 7).epoch(1)), "another epoch");
        List<List<Sequence>> buckets = new LengthBatcher(MIXED, 16, TrainingConfig.BUCKET_BATCHES, 7).epoch(0);
        coversEachOnceInFullBatches(buckets);
        // Without buckets a batch spans lengths as a random draw of 16 does; with them, a narrow band.
        double randomSpread = meanSpread(random);
        double bucketSpread = meanSpread(buckets);
        assertTrue(randomSpread > 40 && bucketSpread < 8, "mean max-min length in a batch: random " + randomSpread
                + ", buckets " + bucketSpread);
    }

    private static void coversEachOnceInFullBatches(List<List<Sequence>> epoch) {
        List<Integer> seen = new ArrayList<>();
        epoch.forEach(b -> {
            assertEquals(16, b.size());
            b.forEach(s -> seen.add(s.source()));
        });
        assertEquals(IntStream.range(0, MIXED.size()).boxed().toList(), seen.stream().sorted().toList());
    }

    private static double meanSpread(List<List<Sequence>> epoch) {
        return epoch.stream().mapToInt(b -> b.stream().mapToInt(Sequence::length).max().orElseThrow()
                - b.stream().mapToInt(Sequence::length).min().orElseThrow()).average().orElseThrow();
    }

    private static List<List<Integer>> sources(List<List<Sequence>> epoch) {
        return epoch.stream().map(b -> b.stream().map(Sequence::source).toList()).toList();
    }

    private static List<Sequence> mixed(int n) {
        Random r = new Random(1);
        return IntStream.range(0, n).mapToObj(i -> sequence(i, 1 + r.nextInt(64))).toList();
    }

    private static Sequence sequence(int source, int length) {
        return new Sequence(source, new long[length], new long[length]);
    }
}
