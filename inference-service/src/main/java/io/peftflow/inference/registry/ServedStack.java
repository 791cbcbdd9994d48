package io.peftflow.inference.registry;

import io.peftflow.core.run.MethodPreset;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
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
