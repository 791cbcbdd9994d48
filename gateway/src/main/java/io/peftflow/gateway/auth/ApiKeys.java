package io.peftflow.gateway.auth;

import io.peftflow.events.contract.Tenant;
import io.peftflow.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Creates, lists and revokes API keys, and tells which tenant a key belongs to. Lookups are cached for
 * {@code key-cache-ttl} so the proxy path does not touch the database; a revocation on this replica takes
 * effect at once, on the others within the TTL.
 */
@ApplicationScoped
public class ApiKeys {
    /** More distinct unknown keys than this in one TTL and the cache starts over (nobody fills memory with guesses). */
    private static final int MAX_CACHED = 100_000;

    private final GatewayConfig config;
    private final Map<String, Cached> byHash = new ConcurrentHashMap<>();

    public ApiKeys(GatewayConfig config) {
        this.config = config;
    }

    /** A new key and the only time its secret is seen. */
    public record Created(ApiKey key, String secret) {
    }

    @Transactional
    public Created create(String tenant, String name, Integer requestsPerMinute, Integer burst) {
        Tenant.check("tenant", tenant);
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new IllegalArgumentException("name must be 1 to 200 characters");
        }
        int rate = requestsPerMinute == null ? config.requestsPerMinute() : requestsPerMinute;
        int size = burst == null ? config.burst() : burst;
        if (rate < 1 || size < 1) {
            throw new IllegalArgumentException("requestsPerMinute and burst must be at least 1");
        }
        String secret = Secrets.newKey();
        ApiKey key = new ApiKey();
        key.id = UUID.randomUUID().toString();
        key.tenant = tenant;
        key.name = name.strip();
        key.prefix = secret.substring(0, Secrets.KEY_PREFIX.length() + 6);
        key.keyHash = Secrets.hash(secret);
        key.requestsPerMinute = rate;
        key.burst = size;
        key.createdAt = OffsetDateTime.now();
        key.persist();
        return new Created(key, secret);
    }

    @Transactional
    public List<ApiKey> list(String tenant) {
        return tenant == null
                ? ApiKey.list("order by tenant, createdAt")
                : ApiKey.list("tenant = ?1 order by createdAt", tenant);
    }

    /** Revokes the key; true when it exists (revoking twice is fine). */
    @Transactional
    public Optional<ApiKey> revoke(String id) {
        Optional<ApiKey> key = ApiKey.findByIdOptional(id);
        key.ifPresent(k -> {
            if (k.revokedAt == null) {
                k.revokedAt = OffsetDateTime.now();
            }
            byHash.remove(k.keyHash);
        });
        return key;
    }

    /** What is known of a key: its caller, or none when the key is unknown or revoked. */
    public record Verdict(Optional<Caller> caller) {
    }

    /** The cached verdict on a key; empty when it must be looked up ({@link #lookup}). */
    public Optional<Verdict> cached(String secret) {
        Cached entry = byHash.get(Secrets.hash(secret));
        return entry == null || entry.expiresAt < System.nanoTime() ? Optional.empty() : Optional.of(entry.verdict);
    }

    /** Looks the key up in the database (blocking) and caches the verdict, unknown and revoked keys included. */
    @Transactional
    public Verdict lookup(String secret) {
        String hash = Secrets.hash(secret);
        Verdict verdict = new Verdict(ApiKey.<ApiKey>find("keyHash = ?1 and revokedAt is null", hash)
                .firstResultOptional().map(Caller::of));
        if (byHash.size() >= MAX_CACHED) {
            byHash.clear();
        }
        byHash.put(hash, new Cached(verdict, System.nanoTime() + config.keyCacheTtl().toNanos()));
        return verdict;
    }

    private record Cached(Verdict verdict, long expiresAt) {
    }
}
