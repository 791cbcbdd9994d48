package io.peftflow.gateway.auth;

/** A token bucket: at most {@code burst} tokens, refilled at {@code perSecond}; a key's rate and an address's guesses. */
final class TokenBucket {
    private final int burst;
    private final double perSecond;
    private double tokens;
    private long refilledAt;

    TokenBucket(int burst, double perSecond) {
        this.burst = burst;
        this.perSecond = perSecond;
        this.tokens = burst;
        this.refilledAt = System.nanoTime();
    }

    /** Takes a token: 0 when one was there, else the seconds until one will be (Retry-After), nothing taken. */
    synchronized long take() {
        long wait = retryAfter();
        if (wait == 0) {
            tokens -= 1;
        }
        return wait;
    }

    /** The seconds until a token is there, 0 when one is; takes none. */
    synchronized long retryAfter() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - refilledAt) / 1e9 * perSecond);
        refilledAt = now;
        return tokens >= 1 ? 0 : Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
    }

    /** Takes a token if there is one; an empty bucket stays empty. */
    synchronized void drain() {
        if (retryAfter() == 0) {
            tokens -= 1;
        }
    }
}
