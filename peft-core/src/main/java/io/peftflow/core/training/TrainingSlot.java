package io.peftflow.core.training;

import io.peftflow.core.PeftCoreException;
import java.time.Instant;

/**
 * The JVM's one training slot. DJL allows one {@code GradientCollector} per JVM at a time, and the engine's random
 * seed (dropout, adapter init) is process-wide, so two runs in one JVM would corrupt each other: a second run fails
 * at once instead. Scale out with worker processes or pods. Re-entrant on the thread that holds it (a
 * {@code TrainingRun} holds it around its {@link Trainer}).
 */
public final class TrainingSlot implements AutoCloseable {
    private static Thread owner;
    private static int depth;
    private static String holder;

    private TrainingSlot() {
    }

    /** Takes the slot for {@code what} (named in the error another run gets); close to give it back. */
    public static synchronized TrainingSlot acquire(String what) {
        Thread me = Thread.currentThread();
        if (owner != null && owner != me) {
            throw new PeftCoreException("another training run is active in this JVM (" + holder + "); one run per"
                    + " JVM: DJL allows a single GradientCollector per JVM and the engine's random seed is"
                    + " process-wide. Run jobs in separate worker processes or pods");
        }
        if (owner == null) {
            owner = me;
            holder = what + " on thread " + me.getName() + " since " + Instant.now();
        }
        depth++;
        return new TrainingSlot();
    }

    @Override
    public void close() {
        synchronized (TrainingSlot.class) {
            if (--depth == 0) {
                owner = null;
                holder = null;
            }
        }
    }
}
