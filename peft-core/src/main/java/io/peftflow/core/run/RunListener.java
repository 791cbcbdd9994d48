package io.peftflow.core.run;

import io.peftflow.core.training.TrainingListener;
import java.nio.file.Path;

/**
 * What a {@link TrainingRun} reports, on its thread (keep callbacks quick): the phase it enters, and the trainer's
 * progress per step ({@code onStep}: step, total, epoch, loss, lr, tokens/s, ETA), evaluations, saved checkpoints and
 * adapter snapshots ({@link RunSpec#snapshotEvery}).
 */
public interface RunListener extends TrainingListener {
    RunListener NONE = new RunListener() {
    };

    /** The phases of a run, in order. */
    enum Phase { LOADING, BASE_EVALUATION, TRAINING, TUNED_EVALUATION, SAVING }

    default void onPhase(Phase phase) {
    }

    /** The adapter after update {@code step} is saved in {@code dir}, right after that step's {@code onStep}. */
    default void onSnapshot(int step, Path dir) {
    }
}
