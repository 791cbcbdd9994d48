package io.peftflow.core.tuners;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peftflow.core.nn.Parameter;
import java.util.Map;
import java.util.Set;

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

    /**
     * {@link #savedParameters()} as they are keyed in a file holding {@code fileKeys}: adapters whose keys carry their
     * name read a file saved under another name.
     */
    default Map<String, Parameter> savedParameters(Set<String> fileKeys) {
        return savedParameters();
    }

    /** Switches the adapter's hooks on or off (its parameters stay). */
    void setEnabled(boolean enabled);

    boolean isEnabled();

    /** Turns dropout on (training) or off. */
    void setTraining(boolean training);

    /**
     * Called by {@link PeftModel} before each forward pass with the pass's scope and activation dtype: an adapter may
     * prepare per-pass state there (LoRA packs its weights), which must live in {@code scope}.
     */
    default void beforeForward(NDManager scope, DataType activations) {
    }

    /** Called after each forward pass that {@link #beforeForward} opened. */
    default void afterForward() {
    }

    /**
     * True when, in its current state, everything the adapter trains reaches the model as the layers'
     * {@link io.peftflow.core.nn.LowRank} updates (LoRA without {@code modules_to_save}, and without dropout while
     * training), so that the layers' hand-written backward passes give all its gradients
     * ({@link PeftModel#layerGradients}).
     */
    default boolean trainsOnlyLowRank() {
        return false;
    }

    /** Removes the hooks and modules from the model and frees the parameters. */
    void detach();
}
