package io.peftflow.trainer.jobs;

import java.util.Locale;

/**
 * What a job does. {@link #TRAINING} trains an adapter, which the registry then registers; {@link #EVALUATION}
 * (the retraining policy's evaluation of a registered version, not created yet) scores one and registers nothing.
 */
public enum JobKind {
    TRAINING, EVALUATION;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
