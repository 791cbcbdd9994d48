package io.peftflow.inference.registry;

import io.peftflow.events.contract.AdapterRef;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A request's {@code model}: one adapter ({@link AdapterRef}) or a stack {@code a+b} of adapters of one base model,
 * applied in order, each on the previous one's output (PEFT's stacked adapters: a language adapter, then a domain
 * adapter). Each layer may name a version or alias ({@code support-fr:2+ecommerce}).
 */
public record ModelStack(List<AdapterRef> layers) {
    /** Adapters one request may stack. */
    public static final int MAX_LAYERS = AdapterRef.MAX_STACK;

    public ModelStack {
        layers = List.copyOf(layers);
    }

    /** Parses {@code model}; a malformed one is an {@link IllegalArgumentException} saying what is wrong. */
    public static ModelStack parse(String model) {
        if (model == null || model.isBlank()) {
            return new ModelStack(List.of(AdapterRef.parse("model", model)));
        }
        long pluses = model.chars().filter(c -> c == '+').count();
        if (pluses >= MAX_LAYERS) {
            throw new IllegalArgumentException("model may stack at most " + MAX_LAYERS + " adapters ('a+b'), got "
                    + (pluses + 1));
        }
        List<AdapterRef> layers = new ArrayList<>();
        for (String layer : model.split("\\+", -1)) {
            layers.add(AdapterRef.parse("model", layer));
        }
        return new ModelStack(layers);
    }

    @Override
    public String toString() {
        return layers.stream().map(AdapterRef::toString).collect(Collectors.joining("+"));
    }
}
