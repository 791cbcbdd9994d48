package io.peftflow.core.tuners;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One PEFT method as jobs and saved adapters name it (like PEFT's {@code register_peft_method}). Methods register
 * themselves with {@link java.util.ServiceLoader} ({@code META-INF/services/io.peftflow.core.tuners.PeftMethod});
 * {@link PeftMethods} finds them by name or {@code peft_type}, so adding a method touches no shared switch.
 */
public interface PeftMethod {
    /**
     * The names a training job asks for this method by ({@code lora}; {@code seq_bn}, {@code double_seq_bn}; ...);
     * empty for a method that is not trained on its own (a classification head).
     */
    List<String> names();

    /** The {@code peft_type} its saved {@code adapter_config.json} carries. */
    String peftType();

    /** Reads a saved {@code adapter_config.json} of this {@code peft_type}. */
    AdapterConfig fromSaved(JsonNode adapterConfig);

    /**
     * The config for a job's {@code hyperparameters} (a JSON object with the method's own config keys, as in PEFT's
     * {@code LoraConfig}: {@code {"r": 8, "lora_alpha": 16, "target_modules": ["q_proj", "v_proj"]}}); absent keys
     * take the method's defaults. An unknown key or invalid value is a {@link io.peftflow.core.PeftCoreException}
     * whose {@code field()} is the key.
     *
     * @param name one of {@link #names()}
     */
    AdapterConfig fromHyperparameters(String name, JsonNode hyperparameters);
}
