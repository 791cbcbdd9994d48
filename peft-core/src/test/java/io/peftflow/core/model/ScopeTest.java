package io.peftflow.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.peftflow.core.Fixtures;
import io.peftflow.core.generation.GreedyGenerator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A forward, loss or generation run in a step scope leaves nothing behind in the model's manager. */
class ScopeTest {
    @Test
    void temporariesLiveInTheCallersScope() {
        for (String name : List.of("mistral_sliding", "gpt2")) {
            try (CausalLM model = Models.load(Fixtures.dir(name), LoadOptions.cpu())) {
                int before = model.manager().getManagedArrays().size();
                for (int i = 0; i < 3; i++) {
                    try (NDManager step = model.manager().newSubManager()) {
                        NDArray ids = step.create(new long[] {3, 4, 5, 6, 7, 8}, new Shape(2, 3));
                        NDArray mask = step.create(new long[] {0, 1, 1, 1, 1, 1}, new Shape(2, 3));
                        NDArray logits = model.forward(ForwardArgs.ids(ids).attentionMask(mask));
                        CausalLmLoss.mean(logits, ids).getFloat();
                    }
                }
                new GreedyGenerator(model).generate(List.of(new long[] {3, 4}, new long[] {5}), 4, List.of());
                assertEquals(before, model.manager().getManagedArrays().size(), name);
            }
        }
    }
}
