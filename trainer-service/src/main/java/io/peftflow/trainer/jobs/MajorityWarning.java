package io.peftflow.trainer.jobs;

import io.peftflow.events.training.RunMetrics;

import java.util.Locale;
import java.util.Optional;

/**
 * A tuned classifier that does not beat always answering the validation split's most frequent label has learned
 * nothing a user can use: its job says so (a warning in its log and on the console), never silently succeeds.
 */
public final class MajorityWarning {
    private MajorityWarning() {
    }

    /** The warning for these metrics; empty when the tuned model beats the majority class or there are no labels. */
    public static Optional<String> of(RunMetrics m) {
        if (m == null || m.tuned() == null || m.majority() == null || m.tuned().exactMatch() == null) {
            return Optional.empty();
        }
        double tuned = m.tuned().exactMatch();
        if (tuned > m.majority().exactMatch()) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "warning: the tuned model does not beat the majority class "
                        + "(exact match %.3f vs %.3f always answering '%s'); train longer, raise the learning rate or "
                        + "check the data before using it", tuned, m.majority().exactMatch(), m.majority().label()));
    }
}
