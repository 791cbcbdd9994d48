package io.peftflow.core.tuners;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peftflow.core.nn.Parameter;
import java.util.Map;

/**
 * One named adapter attached to a base model. Its parameters live in fp32 on the model's device; the base
 * weights are never touched (except by an explicit LoRA merge).
 */
public interface Adapter {
    String name();

    AdapterConfig config();

    /** The {@code adapter_config.json} content; the config's, plus what only the attached adapter knows. */
    default ObjectNode configJson(String baseModelNameOrPath) {
        return config().toJson(baseModelNameOrPath);
    }

    /** Parameters by their in-model name, e.g. {@code model.layers.0.self_attn.q_proj.lora_A.default.weight}. */
    Map<String, Parameter> parameters();

    /**
     * Parameters by the key they are saved under in {@code adapter_model.safetensors}: PEFT's keys for LoRA
     * ({@code base_model.model.<module>.lora_A.weight}) and prompt tuning ({@code prompt_embeddings}).
     */
    Map<String, Parameter> savedParameters();

    /** Switches the adapter's hooks on or off (its parameters stay). */
    void setEnabled(boolean enabled);

    boolean isEnabled();

    /** Turns dropout on (training) or off. */
    void setTraining(boolean training);

    /** Removes the hooks and modules from the model and frees the parameters. */
    void detach();
}
