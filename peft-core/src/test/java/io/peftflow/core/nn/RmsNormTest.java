package io.peftflow.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The half-precision RMSNorm (mean square accumulated in fp32 from the fp16 input, scaling in fp16) against the fp32
 * path on the same values: forward and the input's and weight's gradients agree to fp16 rounding.
 */
class RmsNormTest {
    @Test
    void halfPrecisionNormAndGradientsTrackFp32() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(7);
            // rows of very different scales: the mean square must not lose the small ones or overflow the large ones
            NDArray x = m.randomNormal(0, 1, new Shape(6, 256), DataType.FLOAT32)
                    .mul(m.create(new float[] {1e-3f, 0.1f, 1, 10, 100, 200}, new Shape(6, 1)));
            NDArray w = m.randomNormal(1, 0.1f, new Shape(256), DataType.FLOAT32);
            NDArray gradOut = m.randomNormal(0, 1, new Shape(6, 256), DataType.FLOAT32);
            float[][] want = normAndGradients(x, w, gradOut, DataType.FLOAT32, m);
            float[][] got = normAndGradients(x, w, gradOut, DataType.FLOAT16, m);
            String[] what = {"output", "d/dx", "d/dweight"};
            for (int t = 0; t < 3; t++) {
                for (int i = 0; i < want[t].length; i++) {
                    // relative to the row's scale: dx scales with 1/rms(x), the output and d/dweight are O(1)
                    double tol = 4e-3 * Math.max(Math.abs(want[t][i]), t == 1 ? maxAbsInRow(want[t], i, 256) : 1);
                    assertEquals(want[t][i], got[t][i], tol, what[t] + "[" + i + "]");
                }
            }
        }
    }

    private static float[][] normAndGradients(NDArray x32, NDArray w32, NDArray gradOut, DataType dt, NDManager m) {
        NDArray x = x32.toType(dt, true);
        NDArray w = w32.toType(dt, true);
        x.setRequiresGradient(true);
        w.setRequiresGradient(true);
        try (GradientCollector ignored = Engine.getInstance().newGradientCollector()) {
            NDArray y = Kernels.rmsNorm(x, w, Scalars.constant(x, 1e-5f));
            NDArray loss = Casts.to(y, DataType.FLOAT32).mul(gradOut).sum(); // toType would cut autograd
            List<NDArray> g = Kernels.gradients(loss, List.of(x, w), m);
            return new float[][] {y.toType(DataType.FLOAT32, false).toFloatArray(),
                    g.get(0).toType(DataType.FLOAT32, false).toFloatArray(),
                    g.get(1).toType(DataType.FLOAT32, false).toFloatArray()};
        }
    }

    private static double maxAbsInRow(float[] v, int i, int width) {
        double max = 0;
        for (int j = i - i % width; j < i - i % width + width; j++) {
            max = Math.max(max, Math.abs(v[j]));
        }
        return max;
    }
}
