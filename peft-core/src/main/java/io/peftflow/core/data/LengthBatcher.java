package io.peftflow.core.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Batches by length with little padding, in an order fixed by (seed, epoch): shuffle all sequences, cut the
 * shuffled list into buckets of {@code bucketBatches} batches, sort each bucket by length, split it into batches,
 * then shuffle the batches. Any epoch's order can be recomputed from the seed alone, which is what lets a
 * resumed run continue exactly where a checkpoint stopped. With {@code bucketBatches} 1 a bucket is one batch: the
 * batches are those of the shuffled list, as a random sampler draws them (no length grouping; within a batch the rows
 * are still sorted, which changes no loss).
 */
public final class LengthBatcher {
    private final List<Sequence> sequences;
    private final int batchSize;
    private final int bucketBatches;
    private final long seed;

    public LengthBatcher(List<Sequence> sequences, int batchSize, int bucketBatches, long seed) {
        if (batchSize < 1 || bucketBatches < 1) {
            throw new IllegalArgumentException("batch size and bucket size must be >= 1");
        }
        this.sequences = sequences;
        this.batchSize = batchSize;
        this.bucketBatches = bucketBatches;
        this.seed = seed;
    }

    /** Batches per epoch (the last one may be smaller). */
    public int batchesPerEpoch() {
        return (sequences.size() + batchSize - 1) / batchSize;
    }

    /** The batches of one epoch, each a list of sequences. */
    public List<List<Sequence>> epoch(int epoch) {
        Random r = new Random(seed * 1_000_003L + epoch);
        List<Sequence> order = new ArrayList<>(sequences);
        java.util.Collections.shuffle(order, r);
        List<List<Sequence>> batches = new ArrayList<>(batchesPerEpoch());
        int bucket = batchSize * bucketBatches;
        for (int from = 0; from < order.size(); from += bucket) {
            List<Sequence> b = new ArrayList<>(order.subList(from, Math.min(order.size(), from + bucket)));
            // Stable sort: equal lengths keep their shuffled order.
            b.sort(Comparator.comparingInt(Sequence::length));
            for (int i = 0; i < b.size(); i += batchSize) {
                batches.add(List.copyOf(b.subList(i, Math.min(b.size(), i + batchSize))));
            }
        }
        java.util.Collections.shuffle(batches, r);
        return batches;
    }
}
