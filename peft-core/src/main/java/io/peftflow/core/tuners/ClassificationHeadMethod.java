package io.peftflow.core.tuners;

import java.util.List;

/**
 * The classification head in the method registry: read back from saved adapters ({@code peft_type}
 * {@code CLASSIFICATION_HEAD}); a job does not train it on its own, so it has no job name.
 */
public final class ClassificationHeadMethod extends PeftMethod {
    public ClassificationHeadMethod() {
        super(List.of(), ClassificationHeadConfig.PEFT_TYPE, ClassificationHeadConfig::fromJson, (name, c) -> {
            throw new IllegalStateException("no job names the classification head");
        });
    }
}
