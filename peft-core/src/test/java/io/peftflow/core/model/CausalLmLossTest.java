package io.peftflow.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class CausalLmLossTest {
    @Test
    void ignoresMaskedLabelsAndShifts() {
        try (NDManager m = NDManager.newBaseManager()) {
            // B=1, T=3, V=2. Position 0 predicts label[1]=1, position 1 predicts label[2] which is ignored.
            NDArray logits = m.create(new float[] {0f, 2f, 5f, -5f, 9f, 9f}, new Shape(1, 3, 2));
            NDArray labels = m.create(new long[] {-100, 1, -100}, new Shape(1, 3));
            CausalLmLoss.Result r = CausalLmLoss.compute(logits, labels);
            double want = Math.log(1 + Math.exp(-2.0)); // -log softmax([0,2])[1]
            assertEquals(1, r.count());
            assertEquals(want, r.mean().getFloat(), 1e-6);
        }
    }

    @Test
    void allIgnoredGivesZeroNotNaN() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.zeros(new Shape(2, 4, 3));
            NDArray labels = m.full(new Shape(2, 4), -100L);
            assertEquals(0f, CausalLmLoss.mean(logits, labels).getFloat(), 1e-9f);
        }
    }
}
