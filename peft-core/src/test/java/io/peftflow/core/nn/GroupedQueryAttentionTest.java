package io.peftflow.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Causal attention hands grouped-query heads to SDPA as they are ({@code enable_gqa}); the masked kernel still repeats
 * K/V for each query head. With a causal mask the two must agree, output and the q, k and v gradients (the KV heads'
 * gradients summed over their query groups).
 */
class GroupedQueryAttentionTest {
    @Test
    void groupedHeadsMatchRepeatedKeysAndValues() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            int t = 6;
            NDArray q = m.randomNormal(0, 1, new Shape(2, 4, t, 8), DataType.FLOAT32);
            NDArray k = m.randomNormal(0, 1, new Shape(2, 2, t, 8), DataType.FLOAT32);
            NDArray v = m.randomNormal(0, 1, new Shape(2, 2, t, 8), DataType.FLOAT32);
            NDArray g = m.randomNormal(0, 1, new Shape(2, t, 32), DataType.FLOAT32);
            float[] causal = new float[t * t];
            for (int i = 0; i < t; i++) {
                for (int j = i + 1; j < t; j++) {
                    causal[i * t + j] = -1e9f;
                }
            }
            NDArray mask = m.create(causal, new Shape(1, 1, t, t));
            List<NDArray> leaves = List.of(q, k, v);
            leaves.forEach(a -> a.setRequiresGradient(true));
            float[][] grouped = run(m, leaves, g, () -> Kernels.causalAttention(q, k, v));
            float[][] repeated = run(m, leaves, g, () -> Kernels.maskedAttention(q, k, v, mask));
            String[] what = {"output", "dq", "dk", "dv"};
            for (int i = 0; i < what.length; i++) {
                assertArrayEquals(repeated[i], grouped[i], 1e-5f, what[i]);
            }
        }
    }

    /** The output, then the gradients of sum(output * g) with respect to q, k and v. */
    private static float[][] run(NDManager m, List<NDArray> leaves, NDArray g,
                                 java.util.function.Supplier<NDArray> attention) {
        try (GradientCollector ignored = Engine.getInstance().newGradientCollector()) {
            NDArray o = attention.get();
            List<NDArray> grads = Kernels.gradients(o.mul(g).sum(), leaves, m);
            return new float[][] {o.toFloatArray(), grads.get(0).toFloatArray(), grads.get(1).toFloatArray(),
                    grads.get(2).toFloatArray()};
        }
    }
}
