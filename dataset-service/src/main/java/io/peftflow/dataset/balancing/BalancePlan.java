package io.peftflow.dataset.balancing;

import java.util.SplittableRandom;

/**
 * Exact, seeded, streaming resampling of the train split. Per label, the target count t out of n examples is
 * met exactly in one sequential pass: every example is written floor(t / n) times, and t mod n of them, chosen
 * by selection sampling (Knuth's Algorithm S: take the next with probability still-needed / still-left), once
 * more. Memory is a few counters per label; the same seed and input give the same output.
 */
public final class BalancePlan {
    private final long[] base;
    private final long[] extraNeeded;
    private final long[] left;
    private final long[] targets;
    private final SplittableRandom random;

    private BalancePlan(long[] counts, long[] targets, long seed) {
        int k = counts.length;
        this.targets = targets;
        this.base = new long[k];
        this.extraNeeded = new long[k];
        this.left = counts.clone();
        for (int i = 0; i < k; i++) {
            if (counts[i] > 0) {
                base[i] = targets[i] / counts[i];
                extraNeeded[i] = targets[i] % counts[i];
            }
        }
        this.random = new SplittableRandom(seed);
    }

    /**
     * The plan for {@code strategy} over per-label train counts; {@code maxOversampleFactor} caps how many
     * times a class may grow (a class of 3 is not copied to 10,000).
     */
    public static BalancePlan of(BalanceStrategy strategy, long[] counts, long seed, int maxOversampleFactor) {
        long[] targets = counts.clone();
        long max = 0;
        long min = Long.MAX_VALUE;
        for (long c : counts) {
            if (c > 0) {
                max = Math.max(max, c);
                min = Math.min(min, c);
            }
        }
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                continue;
            }
            targets[i] = switch (strategy) {
                case OVERSAMPLE -> Math.min(max, counts[i] * maxOversampleFactor);
                case UNDERSAMPLE -> min;
                case NONE, CLASS_WEIGHTS -> counts[i];
            };
        }
        return new BalancePlan(counts, targets, seed);
    }

    /** How many copies to write of the next train example of {@code label}, in input order. */
    public long copies(int label) {
        long extra = 0;
        if (extraNeeded[label] > 0 && random.nextLong(left[label]) < extraNeeded[label]) {
            extra = 1;
            extraNeeded[label]--;
        }
        left[label]--;
        return base[label] + extra;
    }

    /** sklearn's "balanced" weights, n / (k * n_label), over the labels that occur; 0 for absent ones. */
    public static double[] classWeights(long[] counts) {
        long n = 0;
        int k = 0;
        for (long c : counts) {
            n += c;
            k += c > 0 ? 1 : 0;
        }
        double[] weights = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            weights[i] = counts[i] == 0 ? 0 : (double) n / ((double) k * counts[i]);
        }
        return weights;
    }

    /** Per-label counts after balancing. */
    public long[] targets() {
        return targets.clone();
    }
}
