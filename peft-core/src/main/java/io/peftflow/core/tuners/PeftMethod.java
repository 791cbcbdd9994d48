package io.peftflow.core.tuners;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One PEFT method as jobs and saved adapters name it (like PEFT's {@code register_peft_method}). Each method package
 * registers a subclass with {@link java.util.ServiceLoader} ({@code META-INF/services/io.peftflow.core.tuners.PeftMethod});
 * {@link PeftMethods} finds them by name or {@code peft_type}, so adding a method touches no shared switch.
 */
public abstract class PeftMethod {
    private final List<String> names;
    private final String peftType;
    private final Function<JsonNode, AdapterConfig> fromSaved;
    private final BiFunction<String, ConfigReader, AdapterConfig> fromHyperparameters;

    /**
     * @param names the names a training job asks for this method by; empty for one not trained on its own
     * @param fromHyperparameters (job name, a strict reader of the hyperparameters) -> config; it must
     *     {@link ConfigReader#finish()} the reader
     */
    protected PeftMethod(List<String> names, String peftType, Function<JsonNode, AdapterConfig> fromSaved,
                         BiFunction<String, ConfigReader, AdapterConfig> fromHyperparameters) {
        this.names = List.copyOf(names);
        this.peftType = peftType;
        this.fromSaved = fromSaved;
        this.fromHyperparameters = fromHyperparameters;
    }

    /** The names a training job asks for this method by ({@code lora}; {@code seq_bn}, {@code double_seq_bn}; ...). */
    public List<String> names() {
        return names;
    }

    /** The {@code peft_type} its saved {@code adapter_config.json} carries. */
    public String peftType() {
        return peftType;
    }

    /** Reads a saved {@code adapter_config.json} of this {@code peft_type}. */
    public AdapterConfig fromSaved(JsonNode adapterConfig) {
        return fromSaved.apply(adapterConfig);
    }

    /**
     * The config for a job's {@code hyperparameters} (a JSON object with the method's own config keys, as in PEFT's
     * {@code LoraConfig}: {@code {"r": 8, "lora_alpha": 16, "target_modules": ["q_proj", "v_proj"]}}); absent keys
     * take the method's defaults. An unknown key or invalid value is a {@link io.peftflow.core.PeftCoreException}
     * whose {@code field()} is the key.
     *
     * @param name one of {@link #names()}
     */
    public AdapterConfig fromHyperparameters(String name, JsonNode hyperparameters) {
        return fromHyperparameters.apply(name, ConfigReader.hyperparameters(hyperparameters, name));
    }
}
