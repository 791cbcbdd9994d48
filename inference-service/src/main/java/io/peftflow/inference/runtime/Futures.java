package io.peftflow.inference.runtime;

import io.peftflow.core.PeftCoreException;
import io.peftflow.kit.problem.ProblemException;
import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting for a base's thread: its failures surface as themselves, a stuck pass as a 503. */
final class Futures {
    /** The longest wait for a base's thread, blocking here or in a {@code Uni} ({@link Classifier}). */
    static final Duration TIMEOUT = Duration.ofSeconds(120);

    private Futures() {
    }

    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new PeftCoreException("inference failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw overloaded();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(Response.Status.SERVICE_UNAVAILABLE, "interrupted");
        }
    }

    /** The 503 of a pass not answered within {@link #TIMEOUT}. */
    static ProblemException overloaded() {
        return new ProblemException(Response.Status.SERVICE_UNAVAILABLE, "no answer within " + TIMEOUT.toSeconds()
                + " s: the model is overloaded");
    }
}
