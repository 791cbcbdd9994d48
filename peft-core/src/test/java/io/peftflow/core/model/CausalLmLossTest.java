package io.peftflow.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.peftflow.core.nn.Kernels;
import java.util.List;
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

    /**
     * The LM-head loss in row chunks, whose gradient with respect to the hidden states is computed in its forward
     * (autograd is replaced there): loss, count and gradient equal autograd's through the whole logits, for chunks that
     * split the rows unevenly and for one chunk; the gradient also matches central differences.
     */
    @Test
    void chunkedLmHeadLossMatchesAutogradThroughTheLogitsAndCentralDifferences() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            NDArray h = m.randomNormal(0, 1, new Shape(2, 5, 8), DataType.FLOAT32);
            NDArray w = m.randomNormal(0, 1, new Shape(40, 8), DataType.FLOAT32);
            NDArray labels = m.create(new long[] {1, 2, 3, 4, -100, 5, 6, -100, 8, 9}, new Shape(2, 5));
            h.setRequiresGradient(true);
            float[] want;
            float wantLoss;
            try (GradientCollector ignored = Engine.getInstance().newGradientCollector()) {
                CausalLmLoss.Result r = CausalLmLoss.compute(h.matMul(w.transpose()), labels);
                wantLoss = r.sum().getFloat();
                assertEquals(6, r.count());
                want = Kernels.gradients(r.sum(), List.of(h), m).get(0).toFloatArray();
            }
            for (long rows : new long[] {3, 16}) {
                try (GradientCollector ignored = Engine.getInstance().newGradientCollector()) {
                    NDList out = Kernels.lmHeadLoss(h, w, labels, rows);
                    assertEquals(wantLoss, out.get(0).getFloat(), 1e-4f, rows + " rows a chunk: loss");
                    assertEquals(6, out.get(1).getLong(), "counted labels");
                    float[] got = Kernels.gradients(out.get(0), List.of(h), m).get(0).toFloatArray();
                    assertArrayEquals(want, got, 1e-5f, rows + " rows a chunk: gradient");
                }
            }
            // central differences on a few coordinates (no autograd: the loss alone)
            float[] base = h.toFloatArray();
            double step = 1e-2;
            for (int i : new int[] {0, 17, 45, 79}) {
                double[] f = new double[2];
                for (int s = 0; s < 2; s++) {
                    float[] moved = base.clone();
                    moved[i] += (float) (s == 0 ? step : -step);
                    f[s] = Kernels.lmHeadLoss(m.create(moved, h.getShape()), w, labels, 3).get(0).getFloat();
                }
                assertEquals((f[0] - f[1]) / (2 * step), want[i], 2e-3 * Math.max(1, Math.abs(want[i])),
                        "d loss / d h[" + i + "]");
            }
        }
    }
}
