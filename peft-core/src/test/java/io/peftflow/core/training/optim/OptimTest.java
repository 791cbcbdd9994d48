package io.peftflow.core.training.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.peftflow.core.nn.Kernels;
import io.peftflow.core.nn.Parameter;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptimTest {

    @Test
    void adamWMatchesTorchFormulaWithDecayOnlyOnWeights() {
        float[] w0 = {0.5f, -1.0f, 2.0f};
        float[] g = {0.1f, -0.3f, 0.2f};
        double lr = 0.01;
        double wd = 0.1;
        double scale = 0.5;  // e.g. clip coefficient / loss scale
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter weight = param(m, "layer.lora_A.default.weight", w0);
            Parameter bias = param(m, "layer.adapter_down.bias", w0);
            AdamW opt = new AdamW(List.of(weight, bias), 0.9, 0.999, 1e-8, wd, m);
            double[] mw = new double[3];
            double[] vw = new double[3];
            double[] pw = {w0[0], w0[1], w0[2]};
            double[] pb = pw.clone();
            double[] mb = new double[3];
            double[] vb = new double[3];
            for (int t = 1; t <= 3; t++) {
                List<NDArray> grads;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    grads = Kernels.gradients(weight.array().mul(m.create(g)).sum()
                            .add(bias.array().mul(m.create(g)).sum()), opt.arrays(), m);
                }
                // no clipping here (max norm 10): the gradients are used times scale
                opt.schedule(lr, scale);
                AdamW.StepStats stats = opt.stats(grads, m.create(1.5f), 10, m);
                opt.step(grads, stats);
                float[] read = stats.read();
                assertEquals(1.5, read[0], 1e-6, "summed loss");
                assertEquals(scale * Math.sqrt(2 * (0.01 + 0.09 + 0.04)), read[1], 1e-6, "gradient norm");
                opt.applied();
                reference(pw, mw, vw, g, t, lr, wd, scale);
                reference(pb, mb, vb, g, t, lr, 0, scale);
                assertArrayEquals(toFloat(pw), weight.array().toFloatArray(), 1e-6f, "decayed weight, step " + t);
                assertArrayEquals(toFloat(pb), bias.array().toFloatArray(), 1e-6f, "bias without decay, step " + t);
            }
        }
    }

    @Test
    void clippingAndNonFiniteStepsAreDecidedOnTheDevice() {
        float[] w0 = {0.5f, -1.0f, 2.0f};
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter weight = param(m, "layer.lora_A.default.weight", w0);
            AdamW opt = new AdamW(List.of(weight), 0.9, 0.999, 1e-8, 0.1, m);
            // norm 5 (3, 4, 0) clipped to 1: the update sees the gradient times 1 / (5 + 1e-6)
            List<NDArray> grads = List.of(m.create(new float[] {3f, 4f, 0f}));
            opt.schedule(0.1, 1);
            AdamW.StepStats clipped = opt.stats(grads, m.create(2f), 1, m);
            assertEquals(1 / (1 / (5 + 1e-6)), clipped.gradScale().getFloat(), 1e-5, "divisor = 1 / clip");
            assertEquals(0f, clipped.foundInf().getFloat());
            // an infinite gradient: found_inf, and the queued update changes nothing, nor the step count
            List<NDArray> inf = List.of(m.create(new float[] {Float.POSITIVE_INFINITY, 0f, 0f}));
            AdamW.StepStats bad = opt.stats(inf, m.create(2f), 1, m);
            opt.step(inf, bad);
            assertEquals(1f, bad.foundInf().getFloat());
            assertArrayEquals(w0, weight.array().toFloatArray(), "skipped on the device");
            AdamW.StepStats nanLoss = opt.stats(grads, m.create(Float.NaN), 1, m);
            assertEquals(1f, nanLoss.foundInf().getFloat(), "a NaN loss skips too");
            // the first applied step after the skip is bias-corrected as step 1: p -= lr * sign(g) (decay first)
            opt.step(grads, clipped);
            float[] p = weight.array().toFloatArray();
            assertEquals(0.5f * 0.99f - 0.1f, p[0], 1e-5f);
            assertEquals(-1.0f * 0.99f - 0.1f, p[1], 1e-5f);
            assertEquals(2.0f * 0.99f, p[2], 1e-5f);
        }
    }

    @Test
    void momentsAreFreedOnClose() {
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter w = param(m, "layer.lora_A.default.weight", new float[] {1f, 2f, 3f});
            int before = m.getManagedArrays().size();
            try (AdamW opt = new AdamW(List.of(w), 0.9, 0.999, 1e-8, 0, m)) {
                assertTrue(m.getManagedArrays().size() > before, "moments allocated under the parameters' manager");
            }
            assertEquals(before, m.getManagedArrays().size(), "closing the optimizer frees its moments");
        }
    }

    @Test
    void decayRulesScheduleAndLossScaler() {
        assertTrue(AdamW.decays("model.layers.0.self_attn.q_proj.lora_B.default.weight"));
        assertTrue(AdamW.decays("prompt_encoder.default.embedding.weight"));
        assertFalse(AdamW.decays("model.layers.0.input_layernorm.weight"));
        assertFalse(AdamW.decays("model.norm.weight"));
        assertFalse(AdamW.decays("transformer.h.0.ln_1.weight"));
        assertFalse(AdamW.decays("model.layers.0.adapter.up.bias"));

        LrSchedule cos = new LrSchedule(LrSchedule.Kind.COSINE, 1.0, 10, 110);
        assertEquals(0.0, cos.at(0));
        assertEquals(0.5, cos.at(5), 1e-12);
        assertEquals(1.0, cos.at(10), 1e-12);
        assertEquals(0.5, cos.at(60), 1e-12);
        assertEquals(0.0, cos.at(110), 1e-12);
        assertEquals(0.5, new LrSchedule(LrSchedule.Kind.LINEAR, 1.0, 0, 100).at(50), 1e-12);

        LossScaler s = new LossScaler(true, 1024, 2);
        assertFalse(s.update(false));
        assertEquals(512, s.scale());
        assertTrue(s.update(true));
        assertTrue(s.update(true));
        assertEquals(1024, s.scale(), "doubles after 2 good steps");
        LossScaler off = new LossScaler(false, 1024, 2);
        assertEquals(1, off.scale());
        assertFalse(off.update(false));
        assertEquals(1, off.scale());
    }

    private static Parameter param(NDManager m, String name, float[] values) {
        Parameter p = new Parameter(name, new Shape(values.length));
        p.set(m.create(values));
        p.setTrainable(true);
        return p;
    }

    /** torch.optim.AdamW, with the gradient multiplied by {@code scale}. */
    private static void reference(double[] p, double[] m, double[] v, float[] g, int t, double lr, double wd,
                                  double scale) {
        for (int i = 0; i < p.length; i++) {
            double gi = g[i] * scale;
            p[i] *= 1 - lr * wd;
            m[i] = 0.9 * m[i] + 0.1 * gi;
            v[i] = 0.999 * v[i] + 0.001 * gi * gi;
            double mh = m[i] / (1 - Math.pow(0.9, t));
            double vh = v[i] / (1 - Math.pow(0.999, t));
            p[i] -= lr * mh / (Math.sqrt(vh) + 1e-8);
        }
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
