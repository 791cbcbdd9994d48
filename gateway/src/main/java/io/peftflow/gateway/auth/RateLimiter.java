package io.peftflow.gateway.auth;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A token bucket per API key: {@code burst} requests at once, refilled at {@code requestsPerMinute}. */
@ApplicationScoped
public class RateLimiter {
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** 0 when the request may go ahead, else the seconds to wait before the next one would (Retry-After). */
    public long acquire(Caller caller) {
        return buckets.computeIfAbsent(caller.keyId(), id -> new Bucket(caller.burst()))
                .take(caller.requestsPerMinute(), caller.burst(), System.nanoTime());
    }

    private static final class Bucket {
        private double tokens;
        private long refilledAt;

        Bucket(int burst) {
            tokens = burst;
            refilledAt = System.nanoTime();
        }

        synchronized long take(int perMinute, int burst, long now) {
            double perSecond = perMinute / 60.0;
            tokens = Math.min(burst, tokens + (now - refilledAt) / 1e9 * perSecond);
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
        }
    }
}
