package io.peftflow.core.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link SampledGenerator#choose} picks the very token, and consumes the very draws, that sorting the whole vocabulary
 * (the implementation it replaced, kept here as the reference) does for the same seed.
 */
class SampledChoiceTest {
    private static final double[] TEMPERATURES = {0, 1e-6, 0.05, 0.3, 0.8, 1, 1.7, 50, 1e30, Double.POSITIVE_INFINITY};
    private static final double[] TOP_PS = {1, 0.999999, 0.95, 0.9, 0.5, 0.1, 1e-9, Double.MIN_VALUE};

    @Test
    void sameTokensAndDrawsAsSortingTheVocabulary() {
        Random shapes = new Random(23);
        for (int c = 0; c < 1500; c++) {
            // sizes 1..40000, log-uniform so that small vocabularies (and their edge cases) come up often
            int size = c < 4 ? new int[] {1, 2, 32000, 40000}[c] : (int) Math.exp(shapes.nextDouble() * Math.log(40000));
            float[] logits = logits(shapes, Math.max(1, size), c % 7);
            double temperature = TEMPERATURES[shapes.nextInt(TEMPERATURES.length)];
            double topP = c % 3 == 0 ? prefixShare(logits, temperature, shapes) : TOP_PS[shapes.nextInt(TOP_PS.length)];
            assertSame(logits, new SampledGenerator.Sampling(temperature, topP, shapes.nextLong()),
                    "case " + c + ": size " + size + ", kind " + c % 7 + ", t " + temperature + ", top_p " + topP);
        }
    }

    @Test
    void nonFiniteLogits() {
        float[][] cases = {
            {Float.NaN, 1, 2}, {1, Float.NaN, 2, Float.NaN}, {Float.NEGATIVE_INFINITY, 0, 0, -1},
            {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}, {Float.POSITIVE_INFINITY, 3, Float.POSITIVE_INFINITY},
            {-0f, 0f, -0f, 0f}, {0f, -0f, -1e-45f, Float.MIN_NORMAL}};
        for (float[] logits : cases) {
            for (double temperature : TEMPERATURES) {
                for (double topP : TOP_PS) {
                    assertSame(logits, new SampledGenerator.Sampling(temperature, topP, 5),
                            Arrays.toString(logits) + ", t " + temperature + ", top_p " + topP);
                }
            }
        }
    }

    /**
     * The largest draw can outlast the nucleus' head by rounding and walk on into the tail (probabilities under 2^-64,
     * which never change the nucleus' mass): it ends on the last, least likely token.
     */
    @Test
    void drawThatRoundsPastTheHeadWalksTheTail() {
        float[] logits = {1.9970906f, 0.8526504f, 1.8267744f, 1.2984866f, -0.88937366f, 0.041159358f, -100, -120, -100};
        SampledGenerator.Sampling sampling = new SampledGenerator.Sampling(1, 1, 0);
        assertEquals(7, sortingTheVocabulary(logits, sampling, new LargestDraw()));
        assertEquals(7, SampledGenerator.choose(logits, sampling, new LargestDraw()));
    }

    /** Always draws the largest double below 1 that {@link Random#nextDouble} can return. */
    private static final class LargestDraw extends Random {
        @Override
        public double nextDouble() {
            return Math.nextDown(1.0);
        }
    }

    /** A top_p that is (up to rounding) the share of the k most likely tokens, k random: the nucleus' edge is close. */
    private static double prefixShare(float[] logits, double temperature, Random random) {
        if (temperature == 0) {
            return 1;
        }
        float max = Float.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp((logits[i] - max) / temperature);
            sum += p[i];
        }
        Arrays.sort(p);
        double share = 0;
        for (int i = p.length - 1 - random.nextInt(p.length); i < p.length; i++) {
            share += p[i];
        }
        double topP = Math.min(1, share / sum);
        return topP > 0 ? topP : 1;
    }

    /** Several draws from one generator each: same tokens, and the generator left in the same state. */
    private static void assertSame(float[] logits, SampledGenerator.Sampling sampling, String what) {
        Random want = new Random(sampling.seed());
        Random got = new Random(sampling.seed());
        for (int draw = 0; draw < 3; draw++) {
            assertEquals(sortingTheVocabulary(logits, sampling, want), SampledGenerator.choose(logits, sampling, got),
                    what + ", draw " + draw);
        }
        assertEquals(want.nextLong(), got.nextLong(), what + ": draws consumed");
    }

    /** Logits of one kind: 0 normal, 1 wide, 2 few distinct values (ties), 3 all equal, 4 a spike over a flat floor,
     * 5 ties near the top with -inf entries, 6 values that differ in the last bits (ties after the softmax). */
    private static float[] logits(Random random, int size, int kind) {
        float[] logits = new float[size];
        for (int i = 0; i < size; i++) {
            logits[i] = switch (kind) {
                case 0 -> (float) random.nextGaussian() * 3;
                case 1 -> (float) random.nextGaussian() * 400;
                case 2 -> random.nextInt(5);
                case 3 -> 1.5f;
                case 4 -> i == size / 3 ? 30 : 0;
                case 5 -> random.nextInt(10) == 0 ? Float.NEGATIVE_INFINITY : random.nextInt(3) - 2;
                default -> Math.nextUp(10f) + random.nextInt(4) * Math.ulp(10f);
            };
        }
        return logits;
    }

    /** The implementation that sorted every token as a boxed Integer with a stable comparator. */
    static long sortingTheVocabulary(float[] logits, SampledGenerator.Sampling sampling, Random random) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        if (sampling.temperature() == 0) {
            return best;
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp((logits[i] - logits[best]) / sampling.temperature());
            sum += p[i];
        }
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        double[] probs = p;
        Arrays.sort(order, (a, b) -> Double.compare(probs[b], probs[a]));
        double kept = 0;
        int n = 0;
        while (n < order.length && (n == 0 || kept / sum < sampling.topP())) {
            kept += p[order[n++]];
        }
        double r = random.nextDouble() * kept;
        for (int i = 0; i < n; i++) {
            r -= p[order[i]];
            if (r <= 0) {
                return order[i];
            }
        }
        return order[n - 1];
    }
}
