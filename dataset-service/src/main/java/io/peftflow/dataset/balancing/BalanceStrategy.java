package io.peftflow.dataset.balancing;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What to do about unequal label counts in the train split (validation is never resampled). */
public enum BalanceStrategy {
    /** Keep train as it is. */
    NONE,
    /** Repeat minority examples up to the majority count, at most {@code max-oversample-factor} times each class's size. */
    OVERSAMPLE,
    /** Keep a seeded random subset of every class the size of the smallest class. */
    UNDERSAMPLE,
    /** Keep train as it is; record per-label loss weights (n / (k * n_label)) for the trainer. */
    CLASS_WEIGHTS;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<BalanceStrategy> parse(String s) {
        return Arrays.stream(values()).filter(v -> v.wireName().equals(s)).findFirst();
    }

    /** Whether the train split is resampled (and so labels are required). */
    public boolean resamples() {
        return this == OVERSAMPLE || this == UNDERSAMPLE;
    }
}
