package io.peftflow.core.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.checkpoint.Json;
import io.peftflow.core.tuners.AdapterConfig;
import io.peftflow.core.tuners.PeftMethods;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Each PEFT method with hyperparameters that train the embedded tiny model on the generated transaction data in a
 * couple of hundred steps (the demo, the acceptance test and the CPU benchmark use these). The tiny model has
 * random weights, so its learning rates are far above what a pre-trained model wants (LoRA 2e-4 there), and its
 * hidden size is 128, so the bottleneck keeps a reduction factor of 4 (32 units) where AdapterHub's 16 leaves 8.
 */
public enum MethodPreset {
    /** LoRA r=8 alpha=16 on q,k,v,o. */
    LORA("lora", "{\"r\": 8, \"lora_alpha\": 16, \"target_modules\": [\"q_proj\", \"k_proj\", \"v_proj\", \"o_proj\"]}",
            1e-2),
    /** AdapterHub's seq_bn (relu) with reduction factor 4. */
    SEQ_BN("seq_bn", "{\"reduction_factor\": 4}", 1e-2),
    /** AdapterHub's double_seq_bn (swish) with reduction factor 4. */
    DOUBLE_SEQ_BN("double_seq_bn", "{\"reduction_factor\": 4}", 1e-2),
    /**
     * Lester et al. 2021's recipe: 20 virtual tokens initialised from sampled vocabulary embeddings, learning rate
     * 0.3.
     */
    PROMPT_TUNING("prompt_tuning", "{\"num_virtual_tokens\": 20, \"prompt_tuning_init\": \"SAMPLE_VOCAB\"}", 0.3);

    private final String wireName;
    private final String hyperparameters;
    private final double learningRate;

    MethodPreset(String wireName, String hyperparameters, double learningRate) {
        this.wireName = wireName;
        this.hyperparameters = hyperparameters;
        this.learningRate = learningRate;
    }

    public String wireName() {
        return wireName;
    }

    public double learningRate() {
        return learningRate;
    }

    /** The preset's hyperparameters as a job would send them. */
    public JsonNode hyperparameters() {
        try {
            return Json.MAPPER.readTree(hyperparameters);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The method's config built from {@link #hyperparameters()} by the method registry. */
    public AdapterConfig config() {
        return PeftMethods.config(wireName, hyperparameters());
    }

    public static MethodPreset parse(String name) {
        return Arrays.stream(values()).filter(m -> m.wireName.equals(name.toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> PeftCoreException.invalidField("method", "unknown method " + name + "; one of "
                        + Arrays.stream(values()).map(MethodPreset::wireName).toList()));
    }
}
