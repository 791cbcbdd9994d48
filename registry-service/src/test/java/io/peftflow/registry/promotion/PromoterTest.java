package io.peftflow.registry.promotion;

import io.peftflow.events.training.EvaluationSet;
import io.peftflow.events.training.EvaluationSucceeded;
import io.peftflow.events.training.RunMetrics;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PromoterTest {
    private static final EvaluationSet SET = new EvaluationSet("tx", 2, EvaluationSet.VALIDATION, "ab".repeat(32), 400);
    private static final RunMetrics.Baseline MAJORITY = new RunMetrics.Baseline("a", 0.5, 0.25, 4);
    private static final PromotionPolicy.Bootstrap BOOTSTRAP = new PromotionPolicy.Bootstrap(2000, 0.95, 7);

    private static RunMetrics run(double exact, double loss, double majority) {
        return new RunMetrics(new RunMetrics.EvalMetrics(9, 9, 0, 0.0, 0.0),
                new RunMetrics.EvalMetrics(loss, Math.exp(loss), 0.5, exact, exact), new RunMetrics.Baseline("a", majority, 0.25, 4));
    }

    private static PromotionPolicy policy(Metric metric, Direction direction, double min, PromotionPolicy.Bootstrap b) {
        return new PromotionPolicy(metric, direction, min, true, null, b);
    }

    /** {@code correct} of the set's examples right (the first ones, then shuffled with {@code seed}). */
    private static boolean[] hits(int correct, long seed) {
        boolean[] h = new boolean[SET.examples()];
        Arrays.fill(h, 0, correct, true);
        Random r = new Random(seed);
        for (int i = h.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            boolean t = h[i];
            h[i] = h[j];
            h[j] = t;
        }
        return h;
    }

    private static EvaluationSucceeded.Score score(int version, boolean[] hits, double loss) {
        int correct = 0;
        for (boolean b : hits) {
            correct += b ? 1 : 0;
        }
        double exact = (double) correct / hits.length;
        return new EvaluationSucceeded.Score(version, new RunMetrics.EvalMetrics(loss, Math.exp(loss), 0.5, exact, exact),
                EvaluationSucceeded.Score.encode(hits));
    }

    /** v2 (challenger) and v1 (champion) measured by one evaluation job. */
    private static SameSetComparison measured(boolean[] challenger, boolean[] champion, double challengerLoss,
                                              double championLoss) {
        EvaluationSucceeded result = new EvaluationSucceeded("ftjob-e", "acme", "r", "tx-lora", SET,
                List.of(score(2, challenger, challengerLoss), score(1, champion, championLoss)), MAJORITY,
                OffsetDateTime.now());
        return SameSetComparison.of(result, 2, 1);
    }

    @Test
    void firstVersionBecomesChampionOnlyAboveTheMajorityBaseline() {
        assertTrue(Promoter.decideFirst(PromotionPolicy.DEFAULT, run(0.7, 1, 0.5)).promote());
        Promoter.Decision below = Promoter.decideFirst(PromotionPolicy.DEFAULT, run(0.4, 1, 0.5));
        assertFalse(below.promote());
        assertTrue(below.reason().contains("majority-class baseline"), below.reason());
        PromotionPolicy lenient = new PromotionPolicy(Metric.EXACT_MATCH, Direction.HIGHER, 0, false, null, null);
        assertTrue(Promoter.decideFirst(lenient, run(0.4, 1, 0.5)).promote());
    }

    @Test
    void aChallengerMustBeatTheChampionByTheMarginOnTheSameSet() {
        PromotionPolicy policy = policy(Metric.EXACT_MATCH, Direction.HIGHER, 0.05, null);
        Promoter.Decision better = Promoter.decide(policy, 1, measured(hits(304, 1), hits(280, 2), 1, 1));
        assertTrue(better.promote(), better.reason());
        assertEquals(SET, better.measured().set());
        assertEquals(0.70, better.measured().champion(), 1e-9);
        assertEquals(0.76, better.measured().challenger(), 1e-9);
        assertEquals(0.06, better.measured().difference(), 1e-9);
        assertTrue(better.reason().contains("tx v2 validation split (400 examples"), better.reason());
        Promoter.Decision small = Promoter.decide(policy, 1, measured(hits(292, 1), hits(280, 2), 1, 1));
        assertFalse(small.promote());
        assertTrue(small.reason().contains("below the minimum"), small.reason());
        assertFalse(Promoter.decide(policy, 1, measured(hits(240, 1), hits(280, 2), 1, 1)).promote());
    }

    @Test
    void lossMetricsImproveDownwardsAndStillMustBeatTheMajorityOnTheSet() {
        PromotionPolicy policy = policy(Metric.EVAL_LOSS, Direction.LOWER, 0.1, null);
        assertTrue(Promoter.decide(policy, 1, measured(hits(280, 1), hits(280, 2), 0.8, 1.0)).promote());
        assertFalse(Promoter.decide(policy, 1, measured(hits(280, 1), hits(280, 2), 0.95, 1.0)).promote());
        Promoter.Decision belowMajority = Promoter.decide(policy, 1, measured(hits(120, 1), hits(280, 2), 0.5, 1.0));
        assertFalse(belowMajority.promote(), "exact match 0.30 is below the set's majority 0.50");
        assertTrue(belowMajority.reason().contains("majority-class baseline"), belowMajority.reason());
    }

    /** Bootstrap, challenger clearly better: the interval lies above 0 and it is promoted, with the interval shown. */
    @Test
    void bootstrapPromotesABetterChallenger() {
        Promoter.Decision d = Promoter.decide(policy(Metric.EXACT_MATCH, Direction.HIGHER, 0, BOOTSTRAP), 1,
                measured(hits(340, 1), hits(280, 2), 1, 1));
        assertTrue(d.promote(), d.reason());
        PairedBootstrap.Interval i = d.measured().interval();
        assertNotNull(i);
        assertTrue(i.low() > 0 && i.low() < 0.15 && i.high() > 0.15, i.toString());
        assertTrue(d.reason().contains("95% interval ["), d.reason());
        // Seeded: the same interval every time.
        assertEquals(i, Promoter.decide(policy(Metric.EXACT_MATCH, Direction.HIGHER, 0, BOOTSTRAP), 1,
                measured(hits(340, 1), hits(280, 2), 1, 1)).measured().interval());
    }

    /** The same weights measured twice: identical outcomes, a zero-width interval at 0, never promoted. */
    @Test
    void bootstrapRefusesAnEqualChallenger() {
        boolean[] same = hits(300, 3);
        Promoter.Decision d = Promoter.decide(policy(Metric.EXACT_MATCH, Direction.HIGHER, 0, BOOTSTRAP), 1,
                measured(same, same, 1, 1));
        assertFalse(d.promote());
        assertEquals(0, d.measured().interval().low(), 0);
        assertEquals(0, d.measured().interval().high(), 0);
        assertTrue(d.reason().contains("not better than the champion"), d.reason());
    }

    /** Worse, and a small gain whose interval reaches below the minimum: both refused. */
    @Test
    void bootstrapRefusesAWorseOrUncertainChallenger() {
        PromotionPolicy policy = policy(Metric.EXACT_MATCH, Direction.HIGHER, 0, BOOTSTRAP);
        Promoter.Decision worse = Promoter.decide(policy, 1, measured(hits(250, 1), hits(300, 2), 1, 1));
        assertFalse(worse.promote());
        assertTrue(worse.measured().interval().high() < 0, worse.measured().interval().toString());
        // +0.01 on 400 examples, outcomes independent: a positive difference the data cannot tell from noise.
        Promoter.Decision noisy = Promoter.decide(policy, 1, measured(hits(304, 1), hits(300, 2), 1, 1));
        assertFalse(noisy.promote(), noisy.reason());
        assertTrue(noisy.measured().interval().low() < 0, noisy.measured().interval().toString());
        assertTrue(noisy.reason().contains("not shown to be better"), noisy.reason());
    }

    /**
     * A decision against a champion exists only from a {@link SameSetComparison}, and one is made only from one
     * evaluation job's result: numbers from different sets cannot meet.
     */
    @Test
    void aDecisionNeverUsesNumbersFromDifferentSets() {
        for (Method m : Promoter.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && m.getReturnType() == Promoter.Decision.class
                    && !m.getName().equals("decideFirst") && !m.getName().equals("refused")) {
                assertTrue(Arrays.asList(m.getParameterTypes()).contains(SameSetComparison.class), m.toString());
                assertFalse(Arrays.asList(m.getParameterTypes()).contains(RunMetrics.EvalMetrics.class), m.toString());
            }
        }
        assertTrue(Arrays.stream(SameSetComparison.class.getDeclaredConstructors())
                .allMatch(c -> Modifier.isPrivate(c.getModifiers())), "made only by SameSetComparison.of");
        EvaluationSucceeded onlyChallenger = new EvaluationSucceeded("ftjob-e", "acme", "r", "tx-lora", SET,
                List.of(score(2, hits(300, 1), 1)), MAJORITY, OffsetDateTime.now());
        assertThrows(IllegalArgumentException.class, () -> SameSetComparison.of(onlyChallenger, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> policy(Metric.EVAL_LOSS, Direction.LOWER, 0, BOOTSTRAP));
    }
}
