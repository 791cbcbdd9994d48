package io.peftflow.core.training;

/**
 * What a trainer reports after each optimizer update.
 *
 * @param step updates done (1-based)
 * @param epoch 0-based epoch of the last micro-batch
 * @param loss mean loss over the update's labelled tokens
 * @param gradNorm global gradient norm before clipping (NaN/inf when the step was skipped)
 * @param skipped true when fp16 gradients overflowed and the update was skipped (loss scale halved)
 * @param tokensPerSecond real (unpadded) tokens of applied updates (not skipped fp16 steps) per second since the
 *     run (or resume) started
 * @param etaSeconds estimated seconds to {@code totalSteps}
 */
public record StepProgress(int step, int totalSteps, int epoch, double loss, double learningRate, double gradNorm,
                           float lossScale, boolean skipped, double tokensPerSecond, double etaSeconds) {
}
