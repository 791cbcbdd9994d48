package io.peftflow.registry.promotion;

import java.util.Locale;
import java.util.Optional;

/** Which way a metric improves. */
public enum Direction {
    HIGHER, LOWER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** How much better {@code candidate} is than {@code reference} (negative when worse). */
    public double improvement(double candidate, double reference) {
        return this == HIGHER ? candidate - reference : reference - candidate;
    }

    public static Optional<Direction> parse(String wireName) {
        for (Direction d : values()) {
            if (d.wireName().equals(wireName)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
