package io.peftflow.inference.runtime;

/**
 * How many rows a classify pass waits for before it starts, and until when (dynamic batching's wait window). A pass
 * waits only while traffic keeps the base busy (its first request queued while the last pass ran, or within that pass's
 * duration of its end), for as many rows as the last cycle brought (the last pass's rows plus those that queued while
 * it ran, at most the pass's limit), and no longer than the window after the base is free. Clients answered by one pass
 * come back a few milliseconds later: without the wait they fall into a pass of their own while the others' runs, and
 * the base alternates between two part-filled passes, each costing nearly a full one (16 closed-loop clients on the
 * demo: passes of 4 to 12 rows; with the wait, three in four passes of all 16; docs/BENCHMARKS.md, classify's wait
 * window). An isolated request never waits. Pure bookkeeping: the base's thread calls it.
 */
final class ClassifyWindow {
    private final long windowNanos;
    private final int maxRows;
    private int lastRows;
    private int queuedDuringLast;
    private long lastEnd;
    /** The last pass's duration; negative before the first. */
    private long lastTook = -1;

    ClassifyWindow(long windowNanos, int maxRows) {
        this.windowNanos = windowNanos;
        this.maxRows = maxRows;
    }

    /** Rows the pass whose first request queued at {@code firstQueued} waits for (0: it starts with what is queued). */
    int rows(long firstQueued) {
        if (windowNanos == 0 || lastTook < 0 || firstQueued - lastEnd > lastTook) {
            return 0;
        }
        return Math.min(maxRows, lastRows + queuedDuringLast);
    }

    /** When a pass that starts waiting at {@code now} starts at the latest. */
    long deadline(long now) {
        return now + windowNanos;
    }

    /** A pass of {@code rows} ran from {@code started} to {@code ended}, and {@code queued} rows waited at its end. */
    void passed(int rows, long started, long ended, int queued) {
        lastRows = rows;
        queuedDuringLast = queued;
        lastEnd = ended;
        lastTook = ended - started;
    }
}
