package io.peftflow.registry.promotion;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The seeded paired bootstrap of a difference in exact match: resample the evaluation examples with replacement
 * (the same indices for both models, which keeps each example's pairing), take the difference of the two
 * accuracies on each resample, and report the central {@code confidence} interval of those differences (percentile
 * method). The same seed gives the same interval.
 */
public final class PairedBootstrap {
    private PairedBootstrap() {
    }

    /** A confidence interval of the difference (challenger − champion, in the policy's direction). */
    public record Interval(double low, double high, double confidence, int samples, long seed) {
    }

    /** The interval of {@code direction.improvement(mean(challenger), mean(champion))} over resamples. */
    public static Interval interval(boolean[] challenger, boolean[] champion, Direction direction,
                                    PromotionPolicy.Bootstrap b) {
        if (challenger.length != champion.length || challenger.length == 0) {
            throw new IllegalArgumentException("paired outcomes of the same examples are needed, got "
                    + challenger.length + " and " + champion.length);
        }
        int n = challenger.length;
        // Only the per-example difference matters: -1, 0 or +1.
        int[] delta = new int[n];
        for (int i = 0; i < n; i++) {
            delta[i] = (challenger[i] ? 1 : 0) - (champion[i] ? 1 : 0);
        }
        SplittableRandom random = new SplittableRandom(b.seed());
        double[] differences = new double[b.samples()];
        for (int s = 0; s < differences.length; s++) {
            long sum = 0;
            for (int i = 0; i < n; i++) {
                sum += delta[random.nextInt(n)];
            }
            double d = (double) sum / n;
            differences[s] = direction == Direction.HIGHER ? d : -d;
        }
        Arrays.sort(differences);
        double tail = (1 - b.confidence()) / 2;
        return new Interval(differences[index(tail, differences.length)],
                differences[index(1 - tail, differences.length)], b.confidence(), b.samples(), b.seed());
    }

    private static int index(double quantile, int n) {
        return Math.min(n - 1, Math.max(0, (int) Math.floor(quantile * (n - 1) + 0.5)));
    }
}
