package io.peftflow.gateway.routing;

import io.peftflow.gateway.config.GatewayConfig;

import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** The route table, checked once at start-up: every upstream must be an absolute http(s) URL. */
@ApplicationScoped
public class Routes {
    private final Map<String, String> upstreams = new TreeMap<>();

    public Routes(GatewayConfig config) {
        config.routes().forEach((prefix, base) -> {
            URI uri = URI.create(base);
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
                throw new IllegalStateException("peftflow.gateway.routes." + prefix + " is not an http(s) URL: " + base);
            }
            upstreams.put(prefix, base.replaceAll("/+$", ""));
        });
    }

    /** The upstream base URL for a path below {@code /v1}, e.g. {@code /datasets/x} → dataset-service. */
    public Optional<String> resolve(String path) {
        return Optional.ofNullable(upstreams.get(prefixOf(path)));
    }

    public String prefixOf(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        int slash = trimmed.indexOf('/');
        return slash < 0 ? trimmed : trimmed.substring(0, slash);
    }

    public Set<String> prefixes() {
        return upstreams.keySet();
    }

    public Map<String, String> upstreams() {
        return Map.copyOf(upstreams);
    }
}
