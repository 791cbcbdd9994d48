package io.peftflow.events.training;

import io.peftflow.events.EventTypes;

/**
 * {@code training.progress}: one optimizer update's state.
 *
 * @param epoch           0-based epoch
 * @param tokensPerSecond real (unpadded) tokens per second since the run or its resume started
 * @param etaSeconds      estimated seconds to {@code totalSteps}
 */
public record JobProgress(String jobId, String tenant, int step, int totalSteps, int epoch, double trainLoss,
                          double learningRate, double tokensPerSecond, double etaSeconds) implements TrainingJobEvent {
    @Override
    public String type() {
        return EventTypes.TRAINING_PROGRESS;
    }
}
