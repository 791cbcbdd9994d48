package io.peftflow.core.tuners.prompt;

import io.peftflow.core.tuners.PeftMethod;
import java.util.List;

/** Prompt tuning in the method registry: job name {@code prompt_tuning}, {@code peft_type} {@code PROMPT_TUNING}. */
public final class PromptTuningMethod extends PeftMethod {
    public PromptTuningMethod() {
        super(List.of("prompt_tuning"), PromptTuningConfig.PEFT_TYPE, PromptTuningConfig::fromJson,
                (name, c) -> PromptTuningConfig.read(c));
    }
}
