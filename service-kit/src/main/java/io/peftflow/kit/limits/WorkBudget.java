package io.peftflow.kit.limits;

import io.peftflow.kit.problem.ProblemException;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * CPU-bound work a request asks for (validating and planning a recipe) runs here, off the request's thread, on a
 * pool of its own with a deadline (SECURITY.md "Bounded work"): at most {@code peftflow.work.threads} such tasks run at
 * once and {@code peftflow.work.queue} wait, so however many requests ask, they cannot take more cores than that; a
 * task past {@code peftflow.work.budget} is interrupted and its request answered 503, as is a request that finds the
 * pool and its queue full. The request thread waits at most the budget.
 */
@ApplicationScoped
public class WorkBudget {
    private final ThreadPoolExecutor pool;
    private final Duration budget;

    public WorkBudget(@ConfigProperty(name = "peftflow.work.budget", defaultValue = "30s") Duration budget,
                      @ConfigProperty(name = "peftflow.work.threads", defaultValue = "2") int threads,
                      @ConfigProperty(name = "peftflow.work.queue", defaultValue = "32") int queue) {
        this.budget = budget;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue),
                r -> {
                    Thread t = new Thread(r, "work-budget-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** {@code work}'s result, or its own exception; a 503 naming {@code what} when it is over budget or refused. */
    public <T> T within(String what, Callable<T> work) {
        Future<T> future;
        try {
            future = pool.submit(work);
        } catch (RejectedExecutionException e) {
            throw new ProblemException(Response.Status.SERVICE_UNAVAILABLE, "too many requests are " + what
                    + " at the moment; try again shortly");
        }
        try {
            return future.get(budget.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new ProblemException(Response.Status.SERVICE_UNAVAILABLE, what + " took longer than its budget of "
                    + budget.toMillis() + " ms (peftflow.work.budget) and was stopped; try again, or simplify the request");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new ProblemException(Response.Status.SERVICE_UNAVAILABLE, what + " was interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The same for work without a result. */
    public void run(String what, Runnable work) {
        within(what, () -> {
            work.run();
            return null;
        });
    }

    void onStop(@Observes ShutdownEvent event) {
        pool.shutdown();
    }
}
