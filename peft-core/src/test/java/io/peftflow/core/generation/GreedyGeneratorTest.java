package io.peftflow.core.generation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.peftflow.core.Fixtures;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.model.Models;
import java.util.List;
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
}
