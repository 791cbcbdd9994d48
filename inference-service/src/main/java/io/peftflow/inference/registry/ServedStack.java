package io.peftflow.inference.registry;

import io.peftflow.core.run.MethodPreset;
import io.peftflow.events.contract.AdapterRef;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The versions a request is answered with: one, or a stack of versions of one base model applied in order. The top
 * of the stack (the last layer) brings the prompt template and, for classification, the label set.
 */
public record ServedStack(List<ServedVersion> layers) {
    public ServedStack {
        layers = List.copyOf(layers);
    }

    public static ServedStack of(ServedVersion version) {
        return new ServedStack(List.of(version));
    }

    /**
     * The stack of {@code layers}; an {@link IllegalArgumentException} saying why when they cannot be stacked: another
     * base model, the same version twice, or more than one prompt-tuning adapter (virtual tokens go in front once).
     */
    public static ServedStack of(List<ServedVersion> layers) {
        ServedVersion first = layers.get(0);
        Set<String> seen = new HashSet<>();
        int prompts = 0;
        for (ServedVersion v : layers) {
            if (!Objects.equals(v.baseModel(), first.baseModel())) {
                throw new IllegalArgumentException("a stack's adapters must share one base model: " + first.modelId()
                        + " is on " + first.baseModel() + ", " + v.modelId() + " on " + v.baseModel());
            }
            if (!seen.add(v.key())) {
                throw new IllegalArgumentException("the stack names " + v.modelId() + " twice");
            }
            prompts += MethodPreset.PROMPT_TUNING.wireName().equals(v.method()) ? 1 : 0;
        }
        if (prompts > 1) {
            throw new IllegalArgumentException("a stack may hold one prompt-tuning adapter, got " + prompts);
        }
        return new ServedStack(layers);
    }

    /**
     * The stack that serves {@code requested}: each version with the versions it was trained on top of
     * ({@code stack_on}, resolved by {@code resolve}) directly beneath it, unless the stack holds them already; an
     * {@link IllegalArgumentException} when another version of such an adapter is in the stack, when it has more than
     * {@link ModelStack#MAX_LAYERS} layers, or when {@link #of(List)} refuses it.
     */
    public static ServedStack expand(List<ServedVersion> requested, Function<AdapterRef, ServedVersion> resolve) {
        List<ServedVersion> layers = new ArrayList<>();
        for (ServedVersion v : requested) {
            for (AdapterRef ref : v.stackedOn()) {
                Optional<ServedVersion> held = layers.stream().filter(l -> l.adapter().equals(ref.adapter())).findFirst();
                if (held.isEmpty()) {
                    layers.add(resolve.apply(ref));
                } else if (held.get().version() != ref.version()) {
                    throw new IllegalArgumentException(v.modelId() + " was trained on top of " + ref + ", the model"
                            + " stacks " + held.get().modelId());
                }
            }
            layers.add(v);
        }
        if (layers.size() > ModelStack.MAX_LAYERS) {
            throw new IllegalArgumentException("with the adapters they were trained on top of, model stacks "
                    + layers.size() + " adapters; at most " + ModelStack.MAX_LAYERS);
        }
        return of(layers);
    }

    public String baseModel() {
        return layers.get(0).baseModel();
    }

    /** The last layer: its prompt template and labels are the stack's. */
    public ServedVersion top() {
        return layers.get(layers.size() - 1);
    }

    /** Unique per tenant and versions in order: the cache key of the stack's loaded weights. */
    public String key() {
        return join(ServedVersion::key);
    }

    /** {@code adapter:N} or {@code a:N+b:M}: the model responses report as the one that answered. */
    public String modelId() {
        return join(ServedVersion::modelId);
    }

    /** The {@code x-peftflow-adapter-version} header: {@code N}, or {@code N+M} for a stack. */
    public String versions() {
        return join(v -> String.valueOf(v.version()));
    }

    /** {@code peftflow-<adapter>-v<N>} per layer, joined by '+': OpenAI's fingerprint of the serving configuration. */
    public String fingerprint() {
        return "peftflow-" + join(v -> v.adapter() + "-v" + v.version());
    }

    private String join(Function<ServedVersion, String> part) {
        return layers.stream().map(part).collect(Collectors.joining("+"));
    }
}
