package io.peftflow.core.tuners;

import com.fasterxml.jackson.databind.JsonNode;
import io.peftflow.core.PeftCoreException;
import java.util.List;

/**
 * The classification head in the method registry: read back from saved adapters ({@code peft_type}
 * {@code CLASSIFICATION_HEAD}); a job does not train it on its own, so it has no job name.
 */
public final class ClassificationHeadMethod implements PeftMethod {
    @Override
    public List<String> names() {
        return List.of();
    }

    @Override
    public String peftType() {
        return ClassificationHeadConfig.PEFT_TYPE;
    }

    @Override
    public AdapterConfig fromSaved(JsonNode adapterConfig) {
        return ClassificationHeadConfig.fromJson(adapterConfig);
    }

    @Override
    public AdapterConfig fromHyperparameters(String name, JsonNode hyperparameters) {
        throw PeftCoreException.invalidField("method", "a classification head is not trained as a method of its own");
    }
}
