package io.peftflow.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import io.peftflow.core.Fixtures;
import io.peftflow.core.safetensors.SafetensorsFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Logits of every architecture against transformers' fp32 logits for the same ids (max abs diff <= 1e-5; 1.5e-6 measured). */
class ParityTest {
    static final double TOL = 1e-5;

    @ParameterizedTest
    @MethodSource("io.peftflow.core.Fixtures#models")
    void logitsMatchTransformers(String name) {
        JsonNode exp = Fixtures.expected(name);
        long[][] ids = Fixtures.longs(exp.get("input_ids"));
        long[][] mask = Fixtures.longs(exp.get("attention_mask"));
        long[][] pos = Fixtures.longs(exp.get("position_ids"));
        int b = ids.length;
        int t = ids[0].length;
        float[] want;
        float[] wantAlone;
        try (SafetensorsFile f = SafetensorsFile.open(Fixtures.dir(name).resolve("expected.safetensors"))) {
            want = f.readFloats("logits");
            wantAlone = f.readFloats("logits_row1_unpadded");
        }
        try (CausalLM model = Models.load(Fixtures.dir(name), LoadOptions.cpu());
             NDManager step = model.manager().newSubManager()) {
            int vocab = model.config().vocabSize();
            NDArray idArr = step.create(Fixtures.flat(ids), new Shape(b, t));
            NDArray maskArr = step.create(Fixtures.flat(mask), new Shape(b, t));
            NDArray posArr = step.create(Fixtures.flat(pos), new Shape(b, t));
            float[] got = model.forward(ForwardArgs.ids(idArr).attentionMask(maskArr).positionIds(posArr))
                    .toFloatArray();
            double worst = maxDiffOnRealTokens(got, want, mask, vocab);
            System.out.printf("parity %-22s max|diff| = %.3g%n", name, worst);
            assertTrue(worst <= TOL, name + " max abs diff " + worst);

            // Positions derived from the mask (no positionIds) give the same result.
            float[] derived = model.forward(ForwardArgs.ids(idArr).attentionMask(maskArr)).toFloatArray();
            assertTrue(maxDiffOnRealTokens(derived, want, mask, vocab) <= TOL, "positions from mask");

            // The padded row's real tokens equal the same tokens run alone without padding.
            int pad = (int) java.util.Arrays.stream(mask[1]).filter(m -> m == 0).count();
            long[] alone = java.util.Arrays.copyOfRange(ids[1], pad, t);
            float[] gotAlone = model.forward(step.create(alone, new Shape(1, alone.length))).toFloatArray();
            assertEquals(wantAlone.length, gotAlone.length);
            double d = 0;
            for (int i = 0; i < gotAlone.length; i++) {
                d = Math.max(d, Math.abs(gotAlone[i] - wantAlone[i]));
            }
            assertTrue(d <= TOL, "unpadded row diff " + d);
        }
    }

    private static double maxDiffOnRealTokens(float[] got, float[] want, long[][] mask, int vocab) {
        assertEquals(want.length, got.length);
        int t = mask[0].length;
        double worst = 0;
        for (int r = 0; r < mask.length; r++) {
            for (int p = 0; p < t; p++) {
                if (mask[r][p] == 0) {
                    continue;
                }
                int base = (r * t + p) * vocab;
                for (int v = 0; v < vocab; v++) {
                    worst = Math.max(worst, Math.abs(got[base + v] - want[base + v]));
                }
            }
        }
        return worst;
    }
}
