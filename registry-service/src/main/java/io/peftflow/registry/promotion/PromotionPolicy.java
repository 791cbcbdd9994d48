package io.peftflow.registry.promotion;

/**
 * When a new version takes the {@code champion} alias: it must beat the champion's {@code metric} by at least
 * {@code minImprovement} in {@code direction} and, with {@code mustBeatMajority}, beat the majority-class answer.
 */
public record PromotionPolicy(Metric metric, Direction direction, double minImprovement, boolean mustBeatMajority) {
    /** New adapters: exact match, higher is better, any strict improvement, and better than always-the-majority. */
    public static final PromotionPolicy DEFAULT = new PromotionPolicy(Metric.EXACT_MATCH, Direction.HIGHER, 0.0, true);

    public PromotionPolicy {
        if (!(minImprovement >= 0) || Double.isInfinite(minImprovement)) {
            throw new IllegalArgumentException("minImprovement must be a finite number >= 0, got " + minImprovement);
        }
    }

    /** From stored columns (validated when they were written). */
    public static PromotionPolicy of(String metric, String direction, double minImprovement, boolean mustBeatMajority) {
        return new PromotionPolicy(Metric.parse(metric).orElseThrow(), Direction.parse(direction).orElseThrow(),
                minImprovement, mustBeatMajority);
    }
}
