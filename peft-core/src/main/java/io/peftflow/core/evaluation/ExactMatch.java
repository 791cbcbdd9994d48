package io.peftflow.core.evaluation;

import java.util.Map;

/**
 * Greedy-generation exact match against the reference responses (whitespace-trimmed).
 *
 * @param perLabel reference response -> {correct, total}, to see the tail classes of imbalanced data
 */
public record ExactMatch(int correct, int total, Map<String, int[]> perLabel) {
    public double accuracy() {
        return total == 0 ? 0 : (double) correct / total;
    }

    /** Mean of the per-label accuracies (every class counts the same, whatever its share). */
    public double macroAccuracy() {
        return perLabel.values().stream().mapToDouble(c -> (double) c[0] / c[1]).average().orElse(0);
    }
}
