package io.peftflow.core.planner;

import io.peftflow.core.model.CausalLM;

/**
 * A PEFT method as the planner sees it: how many trainable parameters it adds to a model. The planner hands
 * it a weightless skeleton of the model (module tree with names and shapes, no arrays), so a method counts
 * exactly the modules it would attach to. Every adapter config ({@code io.peftflow.core.tuners.AdapterConfig}) is
 * one, so the planner counts with the code that creates the parameters (one definition of target matching).
 */
public interface PeftSpec {
    long trainableParameters(CausalLM skeleton);
}
