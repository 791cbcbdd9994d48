package io.peftflow.trainer.api;

import io.peftflow.kit.problem.ProblemException;
import io.peftflow.trainer.TrainerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Open event streams per tenant in this JVM, capped so that one tenant cannot take every connection. */
@ApplicationScoped
public class StreamSlots {
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();
    private final int max;

    public StreamSlots(TrainerConfig config) {
        this.max = config.maxStreamsPerTenant();
    }

    /** Takes a slot (429 naming the limit when none is left); the returned action gives it back, once. */
    public Runnable acquire(String tenant) {
        AtomicInteger count = open.computeIfAbsent(tenant, t -> new AtomicInteger());
        if (count.incrementAndGet() > max) {
            count.decrementAndGet();
            String reason = "tenant '" + tenant + "' already follows " + max + " job streams, the limit "
                    + "(peftflow.trainer.max-streams-per-tenant); close one or poll /events";
            throw new ProblemException(Response.Status.TOO_MANY_REQUESTS, reason,
                    List.of(Map.of("field", "max_streams_per_tenant", "reason", reason, "limit", max)));
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                count.decrementAndGet();
            }
        };
    }
}
