package io.peftflow.core.evaluation;

/**
 * One model's metrics on a validation split: teacher-forced loss metrics and greedy exact match.
 *
 * @param exactMatch null when not measured (sequence classification reports its accuracy in {@code loss})
 * @param labelAccuracy {@link Evaluator#labelAccuracy} over the training split's labels; null for generative data
 */
public record EvalMetrics(LossMetrics loss, ExactMatch exactMatch, Double labelAccuracy) {
    public EvalMetrics(LossMetrics loss, ExactMatch exactMatch) {
        this(loss, exactMatch, null);
    }

    public double evalLoss() {
        return loss.loss();
    }

    public double perplexity() {
        return loss.perplexity();
    }

    public double tokenAccuracy() {
        return loss.tokenAccuracy();
    }

    public double exactMatchAccuracy() {
        return exactMatch == null ? Double.NaN : exactMatch.accuracy();
    }

    public double macroExactMatch() {
        return exactMatch == null ? Double.NaN : exactMatch.macroAccuracy();
    }
}
