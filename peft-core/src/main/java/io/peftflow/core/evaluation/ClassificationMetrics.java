package io.peftflow.core.evaluation;

import java.util.Map;

/**
 * Sequence-classification metrics of a head's argmax over a labelled split.
 *
 * @param loss mean cross-entropy per sequence
 * @param perLabel class label -> {correct, total}, to see the tail classes of imbalanced data
 */
public record ClassificationMetrics(double loss, int correct, int total, Map<String, int[]> perLabel) {
    public double accuracy() {
        return total == 0 ? 0 : (double) correct / total;
    }

    /** Mean of the per-label accuracies (every class counts the same, whatever its share). */
    public double macroAccuracy() {
        return perLabel.values().stream().mapToDouble(c -> (double) c[0] / c[1]).average().orElse(0);
    }

    /** As the trainer reports evaluations: accuracy over sequences in place of token accuracy. */
    public LossMetrics asLossMetrics() {
        return new LossMetrics(loss, Math.exp(loss), accuracy(), total);
    }
}
