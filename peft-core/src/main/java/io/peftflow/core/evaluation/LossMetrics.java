package io.peftflow.core.evaluation;

/**
 * Teacher-forced metrics over labelled tokens.
 *
 * @param loss mean next-token cross-entropy
 * @param perplexity {@code exp(loss)}
 * @param tokenAccuracy share of labelled tokens whose argmax prediction is the label
 * @param tokens labelled tokens counted
 */
public record LossMetrics(double loss, double perplexity, double tokenAccuracy, long tokens) {
}
