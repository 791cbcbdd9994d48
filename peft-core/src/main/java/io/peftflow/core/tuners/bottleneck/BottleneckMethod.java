package io.peftflow.core.tuners.bottleneck;

import io.peftflow.core.tuners.PeftMethod;
import java.util.List;

/**
 * Bottleneck adapters in the method registry: job names {@code seq_bn} (Pfeiffer) and {@code double_seq_bn}
 * (Houlsby), {@code peft_type} {@code BOTTLENECK}.
 */
public final class BottleneckMethod extends PeftMethod {
    public BottleneckMethod() {
        super(List.of(BottleneckConfig.SEQ_BN, BottleneckConfig.DOUBLE_SEQ_BN), BottleneckConfig.PEFT_TYPE,
                BottleneckConfig::fromJson, (name, c) -> BottleneckConfig.read(c, name));
    }
}
