package io.peftflow.core.training;

import io.peftflow.core.PeftCoreException;
import io.peftflow.core.tuners.AdapterConfig;
import io.peftflow.core.tuners.TargetModules;
import io.peftflow.core.tuners.bottleneck.BottleneckConfig;
import io.peftflow.core.tuners.lora.LoraConfig;
import io.peftflow.core.tuners.prompt.PromptTuningConfig;
import java.util.Arrays;
import java.util.Locale;

/**
 * Each PEFT method with hyperparameters that train the embedded tiny model on the generated transaction data in a
 * couple of hundred steps (the demo, the acceptance test and the CPU benchmark use these). The tiny model has
 * random weights, so its learning rates are far above what a pre-trained model wants (LoRA 2e-4 there).
 */
public enum MethodPreset {
    LORA("lora", 1e-2),
    SEQ_BN("seq_bn", 1e-2),
    DOUBLE_SEQ_BN("double_seq_bn", 1e-2),
    PROMPT_TUNING("prompt_tuning", 3e-2);

    private final String wireName;
    private final double learningRate;

    MethodPreset(String wireName, double learningRate) {
        this.wireName = wireName;
        this.learningRate = learningRate;
    }

    public String wireName() {
        return wireName;
    }

    public double learningRate() {
        return learningRate;
    }

    /** LoRA r=8 alpha=16 on q,k,v,o; AdapterHub's seq_bn / double_seq_bn defaults; 8 random virtual tokens. */
    public AdapterConfig config() {
        return switch (this) {
            case LORA -> new LoraConfig(8, 16, TargetModules.of("q_proj", "k_proj", "v_proj", "o_proj"));
            case SEQ_BN -> BottleneckConfig.seqBn();
            case DOUBLE_SEQ_BN -> BottleneckConfig.doubleSeqBn();
            case PROMPT_TUNING -> PromptTuningConfig.random(8);
        };
    }

    public static MethodPreset parse(String name) {
        return Arrays.stream(values()).filter(m -> m.wireName.equals(name.toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new PeftCoreException("unknown method " + name + "; one of "
                        + Arrays.stream(values()).map(MethodPreset::wireName).toList()));
    }
}
