package io.peftflow.registry.promotion;

import io.peftflow.events.training.RunMetrics;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PromoterTest {
    private static RunMetrics run(double exact, double loss, double majority) {
        return new RunMetrics(new RunMetrics.EvalMetrics(9, 9, 0, 0.0, 0.0),
                new RunMetrics.EvalMetrics(loss, Math.exp(loss), 0.5, exact, exact), new RunMetrics.Baseline("a", majority, 0.25, 4));
    }

    @Test
    void firstVersionBecomesChampionOnlyAboveTheMajorityBaseline() {
        assertTrue(Promoter.decide(PromotionPolicy.DEFAULT, run(0.7, 1, 0.5), Optional.empty()).promote());
        Promoter.Decision below = Promoter.decide(PromotionPolicy.DEFAULT, run(0.4, 1, 0.5), Optional.empty());
        assertFalse(below.promote());
        assertTrue(below.reason().contains("majority-class baseline"), below.reason());
        PromotionPolicy lenient = new PromotionPolicy(Metric.EXACT_MATCH, Direction.HIGHER, 0, false);
        assertTrue(Promoter.decide(lenient, run(0.4, 1, 0.5), Optional.empty()).promote());
    }

    @Test
    void aChallengerMustBeatTheChampionByTheMargin() {
        PromotionPolicy policy = new PromotionPolicy(Metric.EXACT_MATCH, Direction.HIGHER, 0.05, true);
        Optional<RunMetrics.EvalMetrics> champion = Optional.of(run(0.7, 1, 0.5).tuned());
        assertTrue(Promoter.decide(policy, run(0.76, 1, 0.5), champion).promote());
        Promoter.Decision small = Promoter.decide(policy, run(0.73, 1, 0.5), champion);
        assertFalse(small.promote());
        assertTrue(small.reason().contains("below the minimum"), small.reason());
        assertFalse(Promoter.decide(policy, run(0.6, 1, 0.5), champion).promote());
    }

    @Test
    void lossMetricsImproveDownwardsAndStillMustBeatTheMajority() {
        PromotionPolicy policy = new PromotionPolicy(Metric.EVAL_LOSS, Direction.LOWER, 0.1, true);
        Optional<RunMetrics.EvalMetrics> champion = Optional.of(run(0.7, 1.0, 0.5).tuned());
        assertTrue(Promoter.decide(policy, run(0.7, 0.8, 0.5), champion).promote());
        assertFalse(Promoter.decide(policy, run(0.7, 0.95, 0.5), champion).promote());
        assertFalse(Promoter.decide(policy, run(0.3, 0.5, 0.5), champion).promote(), "below majority exact match");
    }
}
