package io.peftflow.kit.limits;

import io.peftflow.kit.problem.ProblemException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The time budget of CPU-bound request work: a result within it, a prompt 503 past it or when the pool is full. */
class WorkBudgetTest {

    @Test
    void workWithinItsBudgetReturnsItsResultOrItsOwnRefusal() {
        WorkBudget budget = new WorkBudget(Duration.ofSeconds(5), 1, 1);
        assertEquals(42, budget.within("adding", () -> 42));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> budget.run("checking", () -> {
                    throw new IllegalArgumentException("bad field");
                }));
        assertEquals("bad field", e.getMessage());
    }

    @Test
    void workOverItsBudgetIs503AtTheDeadlineAndInterrupted() throws InterruptedException {
        WorkBudget budget = new WorkBudget(Duration.ofMillis(200), 1, 1);
        CountDownLatch interrupted = new CountDownLatch(1);
        long started = System.nanoTime();
        ProblemException e = assertThrows(ProblemException.class, () -> budget.run("planning", () -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException stopped) {
                interrupted.countDown();
            }
        }));
        long ms = (System.nanoTime() - started) / 1_000_000;
        assertEquals(503, e.problem().status());
        assertTrue(e.getMessage().contains("planning took longer than its budget of 200 ms"), e.getMessage());
        assertTrue(ms < 5_000, "answered after " + ms + " ms");
        assertTrue(interrupted.await(5, TimeUnit.SECONDS), "the task was interrupted");
    }

    @Test
    void aFullPoolRefusesAtOnceInsteadOfTakingMoreCores() throws InterruptedException {
        WorkBudget budget = new WorkBudget(Duration.ofSeconds(30), 1, 1);
        AtomicBoolean release = new AtomicBoolean();
        CountDownLatch running = new CountDownLatch(1);
        Runnable spin = () -> {
            running.countDown();
            while (!release.get()) {
                Thread.onSpinWait();
            }
        };
        Thread first = new Thread(() -> budget.run("spinning", spin));
        Thread second = new Thread(() -> budget.run("spinning", spin));
        first.start();
        assertTrue(running.await(5, TimeUnit.SECONDS));
        second.start();
        Thread.sleep(200);
        // One running, one queued: a third is refused at once.
        ProblemException e = assertThrows(ProblemException.class, () -> budget.run("spinning", spin));
        assertEquals(503, e.problem().status());
        assertTrue(e.getMessage().contains("too many requests are spinning"), e.getMessage());
        release.set(true);
        first.join(5000);
        second.join(5000);
    }
}
