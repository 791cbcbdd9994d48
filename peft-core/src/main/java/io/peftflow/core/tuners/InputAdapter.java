package io.peftflow.core.tuners;

import io.peftflow.core.generation.GreedyGenerator;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.ForwardArgs;

/** An adapter that rewrites the model's inputs (prompt tuning prepends virtual tokens) rather than its layers. */
public interface InputAdapter extends Adapter {
    /** Positions this adapter puts in front of the real tokens. */
    int virtualTokens();

    /** The inputs with the virtual tokens in front: embeddings {@code [B, P+T, H]} and a mask {@code [B, P+T]}. */
    ForwardArgs prepend(CausalLM model, ForwardArgs args);

    /** The virtual tokens as a KV-cached generation prefix. */
    GreedyGenerator.Prefix generationPrefix(CausalLM model);
}
