package io.peftflow.core.tuners.lora;

import com.fasterxml.jackson.databind.JsonNode;
import io.peftflow.core.tuners.AdapterConfig;
import io.peftflow.core.tuners.ConfigReader;
import io.peftflow.core.tuners.PeftMethod;
import java.util.List;

/** LoRA in the method registry: job name {@code lora}, {@code peft_type} {@code LORA}. */
public final class LoraMethod implements PeftMethod {
    @Override
    public List<String> names() {
        return List.of("lora");
    }

    @Override
    public String peftType() {
        return LoraConfig.PEFT_TYPE;
    }

    @Override
    public AdapterConfig fromSaved(JsonNode adapterConfig) {
        return LoraConfig.fromJson(adapterConfig);
    }

    @Override
    public AdapterConfig fromHyperparameters(String name, JsonNode hyperparameters) {
        return LoraConfig.read(ConfigReader.hyperparameters(hyperparameters, name));
    }
}
