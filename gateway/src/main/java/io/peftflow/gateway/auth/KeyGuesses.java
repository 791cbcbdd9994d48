package io.peftflow.gateway.auth;

import io.peftflow.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Throttles guessing: each request with an unknown or revoked key takes a token from its client address's bucket
 * ({@code unknown-key-burst}, refilled at {@code unknown-keys-per-minute}); an address with none left gets 429 for any
 * key not already known good, before the database is asked. Memory is bounded: past {@link #MAX_ADDRESSES} addresses
 * the table starts over.
 */
@ApplicationScoped
public class KeyGuesses {
    static final int MAX_ADDRESSES = 100_000;

    private final Map<String, Bucket> byAddress = new ConcurrentHashMap<>();
    private final int burst;
    private final double perSecond;

    public KeyGuesses(GatewayConfig config) {
        this.burst = config.unknownKeyBurst();
        this.perSecond = config.unknownKeysPerMinute() / 60.0;
    }

    /** 0 when the address may still try a key, else the seconds until it may (Retry-After). */
    public long retryAfter(String address) {
        Bucket b = byAddress.get(address);
        return b == null ? 0 : b.wait(burst, perSecond, System.nanoTime());
    }

    /** The address sent an unknown key. */
    public void failed(String address) {
        if (byAddress.size() >= MAX_ADDRESSES) {
            byAddress.clear();
        }
        byAddress.computeIfAbsent(address, a -> new Bucket(burst)).take(burst, perSecond, System.nanoTime());
    }

    private static final class Bucket {
        private double tokens;
        private long refilledAt;

        Bucket(int burst) {
            tokens = burst;
            refilledAt = System.nanoTime();
        }

        private void refill(int burst, double perSecond, long now) {
            tokens = Math.min(burst, tokens + (now - refilledAt) / 1e9 * perSecond);
            refilledAt = now;
        }

        synchronized long wait(int burst, double perSecond, long now) {
            refill(burst, perSecond, now);
            return tokens >= 1 ? 0 : Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
        }

        synchronized void take(int burst, double perSecond, long now) {
            refill(burst, perSecond, now);
            tokens = Math.max(0, tokens - 1);
        }
    }
}
