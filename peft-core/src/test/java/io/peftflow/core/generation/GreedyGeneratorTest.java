package io.peftflow.core.generation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.peftflow.core.Fixtures;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.model.Models;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** KV-cached greedy decoding reproduces transformers' greedy tokens (computed there by full recompute). */
class GreedyGeneratorTest {
    @ParameterizedTest
    @MethodSource("io.peftflow.core.Fixtures#models")
    void cachedGreedyMatchesReference(String name) {
        var exp = Fixtures.expected(name);
        long[] prompt = Fixtures.row(exp.get("greedy_prompt"));
        long[] want = Fixtures.row(exp.get("greedy_new_tokens"));
        try (CausalLM model = Models.load(Fixtures.dir(name), LoadOptions.cpu())) {
            GreedyGenerator g = new GreedyGenerator(model);
            assertArrayEquals(want, g.generate(prompt, want.length, List.of()), name);
            // Batched with a longer second prompt: the first row is left-padded and must not change.
            long[] longer = new long[prompt.length + 3];
            System.arraycopy(prompt, 0, longer, 3, prompt.length);
            longer[0] = 7;
            longer[1] = 8;
            longer[2] = 9;
            List<long[]> both = g.generate(List.of(prompt, longer), want.length, List.of());
            assertArrayEquals(want, both.get(0), name + " batched");
        }
    }

    /** Virtual tokens that are the embeddings of real ids generate exactly what those ids in front would. */
    @Test
    void embeddingPrefixEqualsTheSameIdsInFront() {
        long[] prefixIds = {11, 12, 13};
        long[] prompt = {40, 41, 42, 43};
        long[] joined = {11, 12, 13, 40, 41, 42, 43};
        try (CausalLM model = Models.load(Fixtures.dir("llama3_untied_sharded"), LoadOptions.cpu())) {
            GreedyGenerator.Prefix prefix = new GreedyGenerator.Prefix() {
                @Override
                public int length() {
                    return prefixIds.length;
                }

                @Override
                public NDArray embeddings(NDManager scope, int batch) {
                    return model.embed(scope.create(prefixIds, new Shape(1, prefixIds.length))).repeat(0, batch);
                }
            };
            long[] want = new GreedyGenerator(model).generate(joined, 6, List.of());
            assertArrayEquals(want, new GreedyGenerator(model, prefix).generate(prompt, 6, List.of()));
        }
    }
}
