package io.peftflow.core.run;

/**
 * Asks a {@link TrainingRun} to stop: checked between optimizer steps and between phases. A run cancelled while
 * training writes a final checkpoint (handed to the {@link CheckpointSink}) and ends with status CANCELLED; it can
 * be resumed from that checkpoint. Any thread may call {@link #cancel}.
 */
public final class CancelToken {
    private volatile boolean cancelled;

    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }
}
