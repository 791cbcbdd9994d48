package io.peftflow.core.tuners.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import io.peftflow.core.tuners.AdapterConfig;
import io.peftflow.core.tuners.ConfigReader;
import io.peftflow.core.tuners.PeftMethod;
import java.util.List;

/** Prompt tuning in the method registry: job name {@code prompt_tuning}, {@code peft_type} {@code PROMPT_TUNING}. */
public final class PromptTuningMethod implements PeftMethod {
    @Override
    public List<String> names() {
        return List.of("prompt_tuning");
    }

    @Override
    public String peftType() {
        return PromptTuningConfig.PEFT_TYPE;
    }

    @Override
    public AdapterConfig fromSaved(JsonNode adapterConfig) {
        return PromptTuningConfig.fromJson(adapterConfig);
    }

    @Override
    public AdapterConfig fromHyperparameters(String name, JsonNode hyperparameters) {
        return PromptTuningConfig.read(ConfigReader.hyperparameters(hyperparameters, name));
    }
}
