package io.peftflow.core.tuners.bottleneck;

import com.fasterxml.jackson.databind.JsonNode;
import io.peftflow.core.tuners.AdapterConfig;
import io.peftflow.core.tuners.ConfigReader;
import io.peftflow.core.tuners.PeftMethod;
import java.util.List;

/**
 * Bottleneck adapters in the method registry: job names {@code seq_bn} (Pfeiffer) and {@code double_seq_bn}
 * (Houlsby), {@code peft_type} {@code BOTTLENECK}.
 */
public final class BottleneckMethod implements PeftMethod {
    @Override
    public List<String> names() {
        return List.of(BottleneckConfig.SEQ_BN, BottleneckConfig.DOUBLE_SEQ_BN);
    }

    @Override
    public String peftType() {
        return BottleneckConfig.PEFT_TYPE;
    }

    @Override
    public AdapterConfig fromSaved(JsonNode adapterConfig) {
        return BottleneckConfig.fromJson(adapterConfig);
    }

    @Override
    public AdapterConfig fromHyperparameters(String name, JsonNode hyperparameters) {
        return BottleneckConfig.read(ConfigReader.hyperparameters(hyperparameters, name), name);
    }
}
