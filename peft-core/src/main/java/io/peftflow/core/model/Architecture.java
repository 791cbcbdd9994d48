package io.peftflow.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.peftflow.core.PeftCoreException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The HF architectures peft-core implements, chosen by {@code architectures[0]} (or {@code model_type}). */
public enum Architecture {
    LLAMA("LlamaForCausalLM", "llama", Family.LLAMA),
    MISTRAL("MistralForCausalLM", "mistral", Family.LLAMA),
    QWEN2("Qwen2ForCausalLM", "qwen2", Family.LLAMA),
    GPT2("GPT2LMHeadModel", "gpt2", Family.GPT2);

    /** Model code shared by several architectures. */
    public enum Family { LLAMA, GPT2 }

    private final String hfName;
    private final String modelType;
    private final Family family;

    Architecture(String hfName, String modelType, Family family) {
        this.hfName = hfName;
        this.modelType = modelType;
        this.family = family;
    }

    public String hfName() {
        return hfName;
    }

    public String modelType() {
        return modelType;
    }

    public Family family() {
        return family;
    }

    static Architecture fromConfig(JsonNode config, Path file) {
        JsonNode archs = config.get("architectures");
        String name = archs != null && archs.isArray() && archs.size() > 0 ? archs.get(0).asText() : null;
        String type = config.path("model_type").asText(null);
        for (Architecture a : values()) {
            if (name != null ? a.hfName.equals(name) : a.modelType.equals(type)) {
                return a;
            }
        }
        throw new PeftCoreException("unknown architecture " + (name != null ? name : "model_type=" + type)
                + "; supported: " + Arrays.stream(values()).map(Architecture::hfName).collect(Collectors.joining(", ")),
                file, null);
    }
}
