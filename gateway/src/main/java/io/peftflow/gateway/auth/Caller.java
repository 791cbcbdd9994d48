package io.peftflow.gateway.auth;

/** Who a request comes from, as its API key says. */
public record Caller(String keyId, String tenant, String keyName, int requestsPerMinute, int burst) {
    static Caller of(ApiKey key) {
        return new Caller(key.id, key.tenant, key.name, key.requestsPerMinute, key.burst);
    }
}
