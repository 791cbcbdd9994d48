package io.peftflow.trainer.jobs;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A job's state, spelled on the wire as OpenAI's fine-tuning API spells it ({@code validating_files}, ...), plus
 * {@code trained}: the adapter is stored and the registry has yet to accept it. Which state may follow which is
 * {@link JobTransitions}' table.
 */
public enum JobStatus {
    VALIDATING_FILES, QUEUED, RUNNING, CANCEL_REQUESTED,
    /** Trained, registration pending: the adapter is stored; registry-service has not yet answered. */
    TRAINED,
    /** Finished: a training job's adapter is registered (an evaluation job's scores are recorded). */
    SUCCEEDED, FAILED, CANCELLED;

    public static final Set<JobStatus> TERMINAL = EnumSet.of(SUCCEEDED, FAILED, CANCELLED);

    public boolean terminal() {
        return TERMINAL.contains(this);
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
