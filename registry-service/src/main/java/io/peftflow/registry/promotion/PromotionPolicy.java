package io.peftflow.registry.promotion;

/**
 * When a new version takes the {@code champion} alias: measured on the same evaluation set as the champion (the
 * challenger's validation split, or {@code evaluationSet} when one is pinned), it must beat the champion's
 * {@code metric} by at least {@code minImprovement} in {@code direction} — with {@code bootstrap}, the lower bound of
 * the difference's confidence interval must — and, with {@code mustBeatMajority}, beat the majority-class answer.
 *
 * @param evaluationSet the dataset version every version of the adapter is measured on; null: each challenger's own
 * @param bootstrap     the paired bootstrap of the difference; null: the difference itself decides
 */
public record PromotionPolicy(Metric metric, Direction direction, double minImprovement, boolean mustBeatMajority,
                              PinnedSet evaluationSet, Bootstrap bootstrap) {
    /** New adapters: exact match, higher is better, any strict improvement, and better than always-the-majority. */
    public static final PromotionPolicy DEFAULT = new PromotionPolicy(Metric.EXACT_MATCH, Direction.HIGHER, 0.0, true,
            null, null);

    public PromotionPolicy {
        if (!(minImprovement >= 0) || Double.isInfinite(minImprovement)) {
            throw new IllegalArgumentException("minImprovement must be a finite number >= 0, got " + minImprovement);
        }
        if (bootstrap != null && metric != Metric.EXACT_MATCH) {
            throw new IllegalArgumentException("bootstrap resamples each example's exact match: it needs metric "
                    + "exact_match, got " + metric.wireName());
        }
    }

    /** A dataset version pinned as the adapter's evaluation set (its validation split). */
    public record PinnedSet(String dataset, int version) {
    }

    /**
     * A seeded paired bootstrap: {@code samples} resamples of the evaluation examples, the central {@code confidence}
     * interval of the difference.
     */
    public record Bootstrap(int samples, double confidence, long seed) {
        public static final int DEFAULT_SAMPLES = 1000;
        public static final double DEFAULT_CONFIDENCE = 0.95;
        public static final int MAX_SAMPLES = 10_000;

        public Bootstrap {
            if (samples < 100 || samples > MAX_SAMPLES) {
                throw new IllegalArgumentException("bootstrap.samples must be 100 to " + MAX_SAMPLES + ", got " + samples);
            }
            if (!(confidence >= 0.5 && confidence < 1)) {
                throw new IllegalArgumentException("bootstrap.confidence must be in [0.5, 1), got " + confidence);
            }
        }
    }

    /** From stored columns (validated when they were written). */
    public static PromotionPolicy of(String metric, String direction, double minImprovement, boolean mustBeatMajority,
                                     PinnedSet evaluationSet, Bootstrap bootstrap) {
        return new PromotionPolicy(Metric.parse(metric).orElseThrow(), Direction.parse(direction).orElseThrow(),
                minImprovement, mustBeatMajority, evaluationSet, bootstrap);
    }
}
