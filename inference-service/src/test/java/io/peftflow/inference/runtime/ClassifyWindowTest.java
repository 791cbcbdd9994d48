package io.peftflow.inference.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ClassifyWindowTest {
    private static final long MS = 1_000_000L;

    @Test
    void theFirstPassAndAnIdleBaseNeverWait() {
        ClassifyWindow window = new ClassifyWindow(6 * MS, 32);
        assertEquals(0, window.rows(0));
        window.passed(16, 0, 15 * MS, 0);
        // more than a pass's duration after the last pass ended: the base was idle
        assertEquals(0, window.rows(31 * MS));
    }

    @Test
    void twoAlternatingGroupsAreWaitedForAsOne() {
        ClassifyWindow window = new ClassifyWindow(6 * MS, 32);
        // a pass of 9 rows, 7 more queued while it ran: the next pass waits for all 16
        window.passed(9, 0, 12 * MS, 7);
        assertEquals(16, window.rows(5 * MS));
        assertEquals(12 * MS + 6 * MS, window.deadline(12 * MS));
        // a full pass, nothing queued during it: the clients it answered are waited for
        window.passed(16, 20 * MS, 35 * MS, 0);
        assertEquals(16, window.rows(37 * MS));
    }

    @Test
    void theWaitIsCappedAtTheBatchLimitAndOffWithAZeroWindow() {
        ClassifyWindow capped = new ClassifyWindow(6 * MS, 8);
        capped.passed(8, 0, 10 * MS, 8);
        assertEquals(8, capped.rows(11 * MS));
        ClassifyWindow off = new ClassifyWindow(0, 32);
        off.passed(16, 0, 10 * MS, 4);
        assertEquals(0, off.rows(11 * MS));
    }
}
