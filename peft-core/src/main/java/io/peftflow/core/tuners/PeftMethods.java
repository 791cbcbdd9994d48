package io.peftflow.core.tuners;

import com.fasterxml.jackson.databind.JsonNode;
import io.peftflow.core.PeftCoreException;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/** The registered {@link PeftMethod}s, by job name or {@code peft_type}. */
public final class PeftMethods {
    private static final List<PeftMethod> METHODS = ServiceLoader.load(PeftMethod.class,
            PeftMethod.class.getClassLoader()).stream().map(ServiceLoader.Provider::get).toList();

    private PeftMethods() {
    }

    /** Every name a job can train, in registration order ({@code lora, seq_bn, double_seq_bn, prompt_tuning}). */
    public static List<String> names() {
        return METHODS.stream().flatMap(m -> m.names().stream()).toList();
    }

    /** The method a job names; an error with {@code field() == "method"} listing the known names otherwise. */
    public static PeftMethod named(String name) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        return METHODS.stream().filter(m -> m.names().contains(n)).findFirst().orElseThrow(() ->
                PeftCoreException.invalidField("method", "unknown method '" + name + "'; one of " + names()));
    }

    /** {@link PeftMethod#fromHyperparameters} of the named method. */
    public static AdapterConfig config(String name, JsonNode hyperparameters) {
        return named(name).fromHyperparameters(name.toLowerCase(Locale.ROOT), hyperparameters);
    }

    /** The method that reads saved configs of {@code peftType}. */
    public static PeftMethod forPeftType(String peftType) {
        return METHODS.stream().filter(m -> m.peftType().equals(peftType)).findFirst().orElseThrow(() ->
                new PeftCoreException("unsupported peft_type '" + peftType + "' (supported: "
                        + METHODS.stream().map(PeftMethod::peftType).distinct().toList() + ")"));
    }
}
