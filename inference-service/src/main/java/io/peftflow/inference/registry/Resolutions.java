package io.peftflow.inference.registry;

import io.peftflow.events.contract.AdapterRef;
import io.peftflow.inference.InferenceConfig;
import io.peftflow.inference.api.FieldProblems;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Model names resolved to versions, reused for a short while ({@code resolve-ttl}) so a request costs no registry
 * call; an adapter event drops every cached name of its adapter at once, so a promotion moves new requests within
 * the time the event takes, and the TTL bounds it where an event is missed (or never sent, e.g. a non-champion alias).
 */
@ApplicationScoped
public class Resolutions {
    private record Entry(ServedVersion version, long expiresAt) {
    }

    private final Map<String, Entry> cache = new ConcurrentHashMap<>();
    private final RegistryClient registry;
    private final long ttlNanos;

    public Resolutions(RegistryClient registry, InferenceConfig config) {
        this.registry = registry;
        this.ttlNanos = config.resolveTtl().toNanos();
    }

    /**
     * Every layer of the stack resolved, with the versions each was trained on top of ({@code stack_on}) beneath it
     * ({@link ServedStack#expand}); a stack that cannot be stacked is a 400 naming {@code model}.
     */
    public ServedStack resolve(String tenant, ModelStack model) {
        List<ServedVersion> layers = model.layers().stream().map(layer -> resolve(tenant, layer)).toList();
        try {
            return ServedStack.expand(layers, ref -> resolve(tenant, ref));
        } catch (IllegalArgumentException e) {
            throw FieldProblems.badRequest("model", e.getMessage());
        }
    }

    /**
     * {@link #resolve} from the cache alone: empty where a name of the stack (or one it was trained on top of) would
     * need the registry, or where the stack cannot be stacked ({@link #resolve} then says why).
     */
    public Optional<ServedStack> cached(String tenant, ModelStack model) {
        long now = System.nanoTime();
        List<ServedVersion> layers = new ArrayList<>(model.layers().size());
        for (AdapterRef layer : model.layers()) {
            ServedVersion v = cached(tenant, layer, now);
            if (v == null || v.stackedOn().stream().anyMatch(ref -> cached(tenant, ref, now) == null)) {
                return Optional.empty();
            }
            layers.add(v);
        }
        try {
            return Optional.of(ServedStack.expand(layers, ref -> cached(tenant, ref, now)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private ServedVersion resolve(String tenant, AdapterRef model) {
        long now = System.nanoTime();
        ServedVersion cached = cached(tenant, model, now);
        if (cached != null) {
            return cached;
        }
        ServedVersion v = registry.resolve(tenant, model);
        cache.put(key(tenant, model), new Entry(v, now + ttlNanos));
        return v;
    }

    /** The cached version of the name while its TTL runs at {@code now}, else null. */
    private ServedVersion cached(String tenant, AdapterRef model, long now) {
        Entry e = cache.get(key(tenant, model));
        return e != null && e.expiresAt - now > 0 ? e.version : null;
    }

    private static String key(String tenant, AdapterRef model) {
        return tenant + "/" + model.adapter() + "/" + model;
    }

    /** Forgets every resolved name of the adapter (an adapter event arrived). */
    public void invalidate(String tenant, String adapter) {
        String prefix = tenant + "/" + adapter + "/";
        cache.keySet().removeIf(k -> k.startsWith(prefix));
    }
}
