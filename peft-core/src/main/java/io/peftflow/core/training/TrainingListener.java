package io.peftflow.core.training;

import io.peftflow.core.evaluation.LossMetrics;

/** Progress callbacks, on the training thread; keep them quick. */
public interface TrainingListener {
    TrainingListener NONE = new TrainingListener() {
    };

    default void onStep(StepProgress progress) {
    }

    default void onEvaluation(int step, LossMetrics metrics) {
    }

    default void onCheckpoint(int step, java.nio.file.Path dir) {
    }
}
