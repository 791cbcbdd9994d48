package io.peftflow.gateway.auth;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A token bucket per API key: {@code burst} requests at once, refilled at {@code requestsPerMinute}. */
@ApplicationScoped
public class RateLimiter {
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    /** 0 when the request may go ahead, else the seconds to wait before the next one would (Retry-After). */
    public long acquire(Caller caller) {
        return buckets.computeIfAbsent(caller.keyId(), id -> new TokenBucket(caller.burst(), caller.requestsPerMinute() / 60.0))
                .take();
    }
}
