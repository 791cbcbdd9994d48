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

    private final Map<String, TokenBucket> byAddress = new ConcurrentHashMap<>();
    private final int burst;
    private final double perSecond;

    public KeyGuesses(GatewayConfig config) {
        this.burst = config.unknownKeyBurst();
        this.perSecond = config.unknownKeysPerMinute() / 60.0;
    }

    /** 0 when the address may still try a key, else the seconds until it may (Retry-After). */
    public long retryAfter(String address) {
        TokenBucket b = byAddress.get(address);
        return b == null ? 0 : b.retryAfter();
    }

    /** The address sent an unknown key. */
    public void failed(String address) {
        if (byAddress.size() >= MAX_ADDRESSES) {
            byAddress.clear();
        }
        byAddress.computeIfAbsent(address, a -> new TokenBucket(burst, perSecond)).drain();
    }
}
