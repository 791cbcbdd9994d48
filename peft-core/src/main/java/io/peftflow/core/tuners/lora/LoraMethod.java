package io.peftflow.core.tuners.lora;

import io.peftflow.core.tuners.PeftMethod;
import java.util.List;

/** LoRA in the method registry: job name {@code lora}, {@code peft_type} {@code LORA}. */
public final class LoraMethod extends PeftMethod {
    public LoraMethod() {
        super(List.of("lora"), LoraConfig.PEFT_TYPE, LoraConfig::fromJson, (name, c) -> LoraConfig.read(c));
    }
}
