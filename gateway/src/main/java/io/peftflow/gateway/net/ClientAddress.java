package io.peftflow.gateway.net;

import io.peftflow.gateway.config.GatewayConfig;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Set;

/**
 * Who sent a request and where they called us: the peer, unless the peer is a configured trusted proxy, in which case
 * the last {@code X-Forwarded-For} entry not added by a trusted proxy (a client can prepend anything, so only the
 * entries our proxies appended count), and the public URL they used.
 */
@ApplicationScoped
public class ClientAddress {
    private final Set<String> trusted;
    private final String publicUrl;

    public ClientAddress(GatewayConfig config) {
        this.trusted = Set.copyOf(config.trustedProxies().orElse(List.of()));
        this.publicUrl = config.publicUrl().map(u -> u.replaceAll("/+$", "")).orElse(null);
    }

    public String of(HttpServerRequest request) {
        String peer = request.remoteAddress() == null ? "unknown" : request.remoteAddress().host();
        String forwarded = request.getHeader("X-Forwarded-For");
        if (!trusted.contains(peer) || forwarded == null) {
            return peer;
        }
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (!hop.isEmpty() && !trusted.contains(hop)) {
                return hop;
            }
        }
        return peer;
    }

    /** The gateway's public base URL for this request, without a trailing slash. */
    public String publicBase(HttpServerRequest request) {
        if (publicUrl != null) {
            return publicUrl;
        }
        boolean viaProxy = request.remoteAddress() != null && trusted.contains(request.remoteAddress().host());
        String proto = viaProxy && request.getHeader("X-Forwarded-Proto") != null
                ? request.getHeader("X-Forwarded-Proto") : request.scheme();
        String host = viaProxy && request.getHeader("X-Forwarded-Host") != null
                ? request.getHeader("X-Forwarded-Host") : request.authority() == null ? "localhost" : request.authority().toString();
        return proto + "://" + host;
    }
}
