package io.peftflow.registry.promotion;

import io.peftflow.events.training.RunMetrics;

import java.util.Locale;
import java.util.Optional;

/** The promotion decision for a new version against the current champion: pure logic over the two runs' metrics. */
public final class Promoter {
    private Promoter() {
    }

    /**
     * @param promote   whether the candidate takes the champion alias
     * @param candidate the candidate's value of the policy metric (null when not reported)
     * @param champion  the champion's value (null without a champion or when not reported)
     */
    public record Decision(boolean promote, Double candidate, Double champion, String reason) {
    }

    /**
     * The decision for {@code candidate} (a new run: tuned metrics and the majority baseline) against the champion's
     * tuned metrics.
     */
    public static Decision decide(PromotionPolicy policy, RunMetrics candidate, Optional<RunMetrics.EvalMetrics> champion) {
        Metric metric = policy.metric();
        Double value = metric.of(candidate.tuned());
        if (value == null || value.isNaN()) {
            return new Decision(false, null, null, "the run reported no " + metric.wireName());
        }
        if (policy.mustBeatMajority()) {
            Optional<Metric.Baseline> baseline = metric.majority(candidate);
            if (baseline.isPresent() && !baseline.get().beaten()) {
                Metric.Baseline b = baseline.get();
                return new Decision(false, value, null, String.format(Locale.ROOT,
                        "%s %.4f does not beat the majority-class baseline %.4f (always answering '%s')",
                        b.metric().wireName(), b.model(), b.majority(), candidate.majority().label()));
            }
        }
        if (champion.isEmpty()) {
            return new Decision(true, value, null, "first version to qualify: " + metric.wireName() + " "
                    + format(value) + (policy.mustBeatMajority() ? ", beats the majority-class baseline" : ""));
        }
        Double current = metric.of(champion.get());
        if (current == null || current.isNaN()) {
            return new Decision(true, value, null, "the champion has no " + metric.wireName() + "; the challenger has "
                    + format(value));
        }
        double gain = policy.direction().improvement(value, current);
        boolean better = gain > 0 && gain >= policy.minImprovement();
        String verdict = better ? "meets the minimum " : gain > 0 ? "below the minimum " : "not better than the champion";
        String comparison = String.format(Locale.ROOT, "%s %s vs champion %s (%s is better): improvement %s, %s%s",
                metric.wireName(), format(value), format(current), policy.direction().wireName(), format(gain),
                verdict, gain > 0 ? format(policy.minImprovement()) : "");
        return new Decision(better, value, current, comparison);
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
