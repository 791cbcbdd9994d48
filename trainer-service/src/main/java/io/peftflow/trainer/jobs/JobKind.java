package io.peftflow.trainer.jobs;

import java.util.Locale;

/**
 * What a job does. {@link #TRAINING} trains an adapter, which the registry then registers; {@link #EVALUATION}
 * (registry-service's request before a promotion) measures registered versions on one evaluation set and registers
 * nothing.
 */
public enum JobKind {
    TRAINING, EVALUATION;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
