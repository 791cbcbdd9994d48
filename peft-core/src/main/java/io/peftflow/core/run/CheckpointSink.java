package io.peftflow.core.run;

import java.nio.file.Path;

/**
 * Receives every checkpoint a {@link TrainingRun} saves (periodic, final, and the one a cancelled run writes),
 * synchronously: training waits until it returns, and the next save overwrites {@code dir}, so copy or upload its
 * files before returning. An exception fails the run.
 */
@FunctionalInterface
public interface CheckpointSink {
    CheckpointSink NONE = (step, dir) -> {
    };

    void saved(int step, Path dir);
}
