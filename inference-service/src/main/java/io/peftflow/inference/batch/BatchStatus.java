package io.peftflow.inference.batch;

import java.util.Locale;
import java.util.Set;

/** OpenAI's batch statuses and the moves allowed between them (any other move is a bug, refused). */
public enum BatchStatus {
    VALIDATING, FAILED, IN_PROGRESS, FINALIZING, COMPLETED, EXPIRED, CANCELLING, CANCELLED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean terminal() {
        return next().isEmpty();
    }

    public boolean canMoveTo(BatchStatus status) {
        return next().contains(status);
    }

    private Set<BatchStatus> next() {
        return switch (this) {
            case VALIDATING -> Set.of(IN_PROGRESS, FAILED, CANCELLING);
            case IN_PROGRESS -> Set.of(FINALIZING, FAILED, EXPIRED, CANCELLING);
            case FINALIZING -> Set.of(COMPLETED, FAILED);
            case CANCELLING -> Set.of(CANCELLED);
            case FAILED, COMPLETED, EXPIRED, CANCELLED -> Set.of();
        };
    }
}
