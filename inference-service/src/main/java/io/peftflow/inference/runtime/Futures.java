package io.peftflow.inference.runtime;

import io.peftflow.core.PeftCoreException;
import io.peftflow.kit.problem.ProblemException;
import jakarta.ws.rs.core.Response;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting for a base's thread: its failures surface as themselves, a stuck pass as a 503. */
final class Futures {
    static final long TIMEOUT_S = 120;

    private Futures() {
    }

    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new PeftCoreException("inference failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new ProblemException(Response.Status.SERVICE_UNAVAILABLE, "no answer within " + TIMEOUT_S
                    + " s: the model is overloaded");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(Response.Status.SERVICE_UNAVAILABLE, "interrupted");
        }
    }
}
