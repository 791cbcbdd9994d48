package io.peftflow.core.planner;

import io.peftflow.core.model.CausalLM;

/**
 * A PEFT method as the planner sees it: how many trainable parameters it adds to a model. The planner hands
 * it a weightless skeleton of the model (module tree with names and shapes, no arrays), so a method counts
 * exactly the modules it would attach to. Tuning code can implement this on its own config classes.
 */
public interface PeftSpec {
    long trainableParameters(CausalLM skeleton);

    /** LoRA as HF PEFT counts it with {@code bias="none"}: {@code r * (in + out)} per targeted Linear. */
    static PeftSpec lora(int r, java.util.List<String> targetModules) {
        return new LoraSpec(r, targetModules);
    }

    /** Bottleneck adapters (AdapterHub): {@code down H->H/rf + up H/rf->H}, with biases, per insertion point. */
    static PeftSpec bottleneck(int reductionFactor, boolean afterAttention, boolean afterMlp) {
        return skeleton -> {
            long h = skeleton.config().hiddenSize();
            long m = Math.max(1, h / reductionFactor);
            long perPoint = h * m + m + m * h + h;
            int points = (afterAttention ? 1 : 0) + (afterMlp ? 1 : 0);
            return perPoint * points * skeleton.layers().size();
        };
    }

    /** Prompt tuning: {@code numVirtualTokens} trainable embeddings of the hidden size. */
    static PeftSpec promptTuning(int numVirtualTokens) {
        return skeleton -> (long) numVirtualTokens * skeleton.config().hiddenSize();
    }
}
