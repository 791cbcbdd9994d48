package io.peftflow.dataset.balancing;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class BalancePlanTest {

    private static long[] run(BalancePlan plan, long[] counts) {
        long[] written = new long[counts.length];
        for (int label = 0; label < counts.length; label++) {
            for (long i = 0; i < counts[label]; i++) {
                written[label] += plan.copies(label);
            }
        }
        return written;
    }

    @Test
    void oversamplingMeetsTheMajorityExactlyUpToTheCap() {
        long[] counts = {900, 70, 3};
        BalancePlan plan = BalancePlan.of(BalanceStrategy.OVERSAMPLE, counts, 42, 10);
        assertArrayEquals(new long[]{900, 700, 30}, plan.targets());
        assertArrayEquals(new long[]{900, 700, 30}, run(plan, counts));
    }

    @Test
    void oversamplingWithAFractionalFactorIsStillExact() {
        long[] counts = {1000, 300};
        assertArrayEquals(new long[]{1000, 1000}, run(BalancePlan.of(BalanceStrategy.OVERSAMPLE, counts, 7, 10), counts));
    }

    @Test
    void undersamplingKeepsExactlyTheMinorityCount() {
        long[] counts = {900, 70, 100};
        assertArrayEquals(new long[]{70, 70, 70}, run(BalancePlan.of(BalanceStrategy.UNDERSAMPLE, counts, 1, 10), counts));
    }

    @Test
    void noneAndClassWeightsKeepEverything() {
        long[] counts = {9, 1};
        assertArrayEquals(counts, run(BalancePlan.of(BalanceStrategy.NONE, counts, 1, 10), counts));
        assertArrayEquals(counts, run(BalancePlan.of(BalanceStrategy.CLASS_WEIGHTS, counts, 1, 10), counts));
        double[] weights = BalancePlan.classWeights(counts);
        assertEquals(10.0 / (2 * 9), weights[0], 1e-12);
        assertEquals(10.0 / (2 * 1), weights[1], 1e-12);
    }

    @Test
    void theSameSeedPicksTheSameExamples() {
        long[] counts = {500, 40};
        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        BalancePlan p1 = BalancePlan.of(BalanceStrategy.UNDERSAMPLE, counts, 99, 10);
        BalancePlan p2 = BalancePlan.of(BalanceStrategy.UNDERSAMPLE, counts, 99, 10);
        for (int i = 0; i < 500; i++) {
            a.append(p1.copies(0));
            b.append(p2.copies(0));
        }
        assertEquals(a.toString(), b.toString());
    }
}
