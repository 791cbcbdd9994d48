package io.peftflow.gateway.routing;

import io.peftflow.events.contract.FileId;
import io.peftflow.gateway.config.GatewayConfig;

import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The route table, checked once at start-up: every upstream must be an absolute http(s) URL. A route is named by the
 * first path segment its service owns; OpenAI's paths go to the services that answer them beside their own:
 * {@code /fine_tuning/...} to {@code fine-tuning}'s, {@code /files/{id}...} to the owner of the file id
 * ({@link FileId}: an upload to {@code datasets}', a job's result file to {@code fine-tuning}'s, a batch's output
 * file to {@code batches}', inference-service).
 */
@ApplicationScoped
public class Routes {
    static final String OPENAI_FINE_TUNING = "fine_tuning";
    static final String OPENAI_FILES = "files";

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
        return Optional.ofNullable(upstreams.get(routeOf(path)));
    }

    /** The route serving a path below {@code /v1}. */
    String routeOf(String path) {
        String prefix = prefixOf(path);
        return switch (prefix) {
            case OPENAI_FINE_TUNING -> FileId.FINE_TUNING_API;
            case OPENAI_FILES -> FileId.ownerApiOfPath(path.startsWith("/") ? path : "/" + path);
            default -> prefix;
        };
    }

    /** The first path segments a route's service answers: its own, and OpenAI's that it serves too. */
    public List<String> servedPrefixes(String route) {
        return switch (route) {
            case FileId.FINE_TUNING_API -> List.of(route, OPENAI_FINE_TUNING, OPENAI_FILES);
            case FileId.DATASETS_API, FileId.BATCHES_API -> List.of(route, OPENAI_FILES);
            default -> List.of(route);
        };
    }

    public String prefixOf(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        int slash = trimmed.indexOf('/');
        return slash < 0 ? trimmed : trimmed.substring(0, slash);
    }

    /** Every first path segment with a service behind it. */
    public Set<String> prefixes() {
        Set<String> all = new TreeSet<>();
        upstreams.keySet().forEach(route -> all.addAll(servedPrefixes(route)));
        return all;
    }

    public Map<String, String> upstreams() {
        return Map.copyOf(upstreams);
    }
}
