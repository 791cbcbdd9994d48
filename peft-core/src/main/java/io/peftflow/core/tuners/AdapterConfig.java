package io.peftflow.core.tuners;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peftflow.core.checkpoint.Json;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.planner.PeftSpec;
import io.peftflow.core.tokenizer.Tokenizer;

/**
 * The configuration of one PEFT method (like PEFT's {@code PeftConfig}). It validates itself on construction,
 * builds its layers on a model, and counts the trainable parameters it adds; being a {@link PeftSpec}, the
 * planner counts from the same code that creates the parameters.
 */
public interface AdapterConfig extends PeftSpec {
    /** PEFT's {@code peft_type} ({@code LORA}, {@code PROMPT_TUNING}) or this project's ({@code BOTTLENECK}). */
    String peftType();

    /**
     * Creates the adapter's parameters on {@code model} (initialised from {@code seed}, in fp32 on the model's
     * device) and attaches its hooks, enabled. Throws {@link io.peftflow.core.PeftCoreException} when it does not
     * fit the model (no matching target module, say).
     */
    Adapter attach(CausalLM model, String adapterName, long seed);

    /**
     * This config ready for a model whose tokenizer is {@code tokenizer}: a config that names text (prompt tuning's
     * TEXT init) tokenizes it here; the others return themselves.
     */
    default AdapterConfig forTokenizer(Tokenizer tokenizer) {
        return this;
    }

    /** The {@code adapter_config.json} content, with only the keys this method uses. */
    ObjectNode toJson(String baseModelNameOrPath);

    /** The keys every method's config starts with: {@code peft_type} and {@code base_model_name_or_path}. */
    default ObjectNode jsonHeader(String baseModelNameOrPath) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("peft_type", peftType());
        n.put("base_model_name_or_path", baseModelNameOrPath);
        return n;
    }
}
