package io.peftflow.core.tuners;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.model.CausalLM;

/**
 * A new trainable classification head on the final hidden states, like transformers'
 * {@code *ForSequenceClassification} {@code score} layer ({@code [num_labels, hidden]}, no bias, N(0, 0.02)),
 * which PEFT trains through {@code modules_to_save}. Saved under PEFT's key {@code base_model.model.score.weight};
 * the config format ({@code peft_type: CLASSIFICATION_HEAD}) is peft-core's own.
 */
public record ClassificationHeadConfig(int numLabels) implements AdapterConfig {
    public static final String PEFT_TYPE = "CLASSIFICATION_HEAD";

    public ClassificationHeadConfig {
        if (numLabels < 2) {
            throw new PeftCoreException("a classification head needs at least 2 labels, got " + numLabels);
        }
    }

    @Override
    public String peftType() {
        return PEFT_TYPE;
    }

    @Override
    public ClassificationHead attach(CausalLM model, String adapterName, long seed) {
        return ClassificationHead.attach(this, model, adapterName, seed);
    }

    @Override
    public long trainableParameters(CausalLM skeleton) {
        return (long) numLabels * skeleton.config().hiddenSize();
    }

    @Override
    public ObjectNode toJson(String baseModelNameOrPath) {
        ObjectNode n = jsonHeader(baseModelNameOrPath);
        n.put("num_labels", numLabels);
        return n;
    }

    public static ClassificationHeadConfig fromJson(JsonNode n) {
        if (!n.has("num_labels")) {
            throw new PeftCoreException("adapter_config.json has no num_labels");
        }
        return new ClassificationHeadConfig(n.get("num_labels").asInt());
    }
}
