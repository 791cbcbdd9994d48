package io.peftflow.core.training;

import io.peftflow.core.evaluation.LossMetrics;
import java.util.List;

/**
 * How a run ended.
 *
 * @param losses the loss of every update from step 1, including those before a resume
 * @param evaluations eval metrics by the step they were taken at
 * @param bestStep the step of the lowest eval loss (0 without evaluation)
 * @param weightsStep the step whose weights the trainable parameters hold now: {@code bestStep} when the run
 *     restored them ({@link TrainingConfig#restoreBestWeights()}), else {@code steps}
 * @param tokens real tokens of the applied updates, including those before a resume (skipped fp16 steps trained
 *     nothing and are not counted)
 * @param seconds wall time of this run (since it started or resumed)
 * @param tokensPerSecond tokens of the updates applied in this run per second of it
 */
public record TrainResult(Status status, int steps, List<Double> losses, List<Evaluation> evaluations, int bestStep,
                          int weightsStep, long tokens, double seconds, double tokensPerSecond, int skippedSteps) {
    public enum Status { COMPLETED, EARLY_STOPPED, CANCELLED }

    public record Evaluation(int step, LossMetrics metrics) {
    }

    public TrainResult {
        losses = List.copyOf(losses);
        evaluations = List.copyOf(evaluations);
    }

    public double firstLoss() {
        return losses.isEmpty() ? Double.NaN : losses.get(0);
    }

    /** Mean of the last {@code n} losses (smooths the batch-to-batch noise). */
    public double lastLoss(int n) {
        return losses.subList(Math.max(0, losses.size() - n), losses.size()).stream().mapToDouble(d -> d).average()
                .orElse(Double.NaN);
    }
}
