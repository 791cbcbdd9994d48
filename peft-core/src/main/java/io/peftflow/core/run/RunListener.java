package io.peftflow.core.run;

import io.peftflow.core.training.TrainingListener;

/**
 * What a {@link TrainingRun} reports, on its thread (keep callbacks quick): the phase it enters, and the trainer's
 * progress per step ({@code onStep}: step, total, epoch, loss, lr, tokens/s, ETA), evaluations and saved checkpoints.
 */
public interface RunListener extends TrainingListener {
    RunListener NONE = new RunListener() {
    };

    /** The phases of a run, in order. */
    enum Phase { LOADING, BASE_EVALUATION, TRAINING, TUNED_EVALUATION, SAVING }

    default void onPhase(Phase phase) {
    }
}
