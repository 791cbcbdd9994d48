package io.peftflow.core.tuners;

import io.peftflow.core.PeftCoreException;
import org.junit.jupiter.api.Test;

import java.util.Collections;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** User patterns are bounded: RE2 syntax only, and limits on their length and on the list of names. */
class TargetModulesBoundsTest {
    @Test
    void refusesWhatRe2CannotRunInLinearTime() {
        var e = assertThrows(PeftCoreException.class, () -> TargetModules.regex("(q_proj)\\1"));
        assertTrue(e.getMessage().contains("target_modules"), e.getMessage());
    }

    @Test
    void acceptsACatastrophicJavaPatternBecauseRe2RunsItInLinearTime() {
        TargetModules.regex("((.+)+)+Q");
    }

    @Test
    void boundsLengths() {
        assertThrows(PeftCoreException.class, () -> TargetModules.regex("a".repeat(TargetModules.MAX_REGEX_LENGTH + 1)));
        assertThrows(PeftCoreException.class, () -> TargetModules.of("q".repeat(TargetModules.MAX_NAME_LENGTH + 1)));
        assertThrows(PeftCoreException.class, () -> TargetModules.of(Collections.nCopies(TargetModules.MAX_NAMES + 1, "q_proj")));
    }
}
