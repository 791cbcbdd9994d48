package io.peftflow.core.nn;

import ai.djl.ndarray.NDArray;
import io.peftflow.core.PeftCoreException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Named hooks applied in insertion order; each can be switched off by name without removing it (several
 * adapters stacked, switched on and off).
 */
public final class HookList {
    private final Map<String, Hook> hooks = new LinkedHashMap<>();
    private final Set<String> disabled = new HashSet<>();

    public void add(String name, Hook hook) {
        if (hooks.putIfAbsent(name, hook) != null) {
            throw new PeftCoreException("hook already registered: " + name);
        }
    }

    public Hook remove(String name) {
        disabled.remove(name);
        return hooks.remove(name);
    }

    public void setEnabled(String name, boolean enabled) {
        if (!hooks.containsKey(name)) {
            throw new PeftCoreException("no hook named " + name);
        }
        if (enabled) {
            disabled.remove(name);
        } else {
            disabled.add(name);
        }
    }

    public boolean isEnabled(String name) {
        return hooks.containsKey(name) && !disabled.contains(name);
    }

    public List<String> names() {
        return List.copyOf(hooks.keySet());
    }

    public Hook get(String name) {
        return hooks.get(name);
    }

    public boolean isEmpty() {
        return hooks.isEmpty();
    }

    /** The enabled hooks, in order. */
    public List<Hook> enabled() {
        return hooks.entrySet().stream().filter(e -> !disabled.contains(e.getKey())).map(Map.Entry::getValue).toList();
    }

    /**
     * Applies the enabled hooks in order. Intermediate results between two hooks are closed once the next hook has
     * used them (see {@link Module#release}); {@code output} and {@code input} stay the caller's.
     */
    public NDArray apply(NDArray output, NDArray input) {
        NDArray out = output;
        for (Map.Entry<String, Hook> e : hooks.entrySet()) {
            if (!disabled.contains(e.getKey())) {
                NDArray next = e.getValue().apply(out, input);
                if (out != output) {
                    Module.release(out, next);
                }
                out = next;
            }
        }
        return out;
    }
}
