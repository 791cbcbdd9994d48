package io.peftflow.registry.promotion;

import io.peftflow.events.training.EvaluationSet;
import io.peftflow.events.training.RunMetrics;

import java.util.Locale;
import java.util.Optional;

/**
 * The promotion decision for a new version: pure logic. The first version to qualify is judged on its own run; a
 * challenger against a champion only on a {@link SameSetComparison} — both measured by one evaluation job on one set.
 */
public final class Promoter {
    private Promoter() {
    }

    /**
     * @param promote   whether the candidate takes the champion alias
     * @param candidate the candidate's value of the policy metric (null when not reported)
     * @param champion  the champion's value (null without a champion or when not reported)
     * @param measured  the like-for-like measurement behind a decision against a champion; null for a first version
     */
    public record Decision(boolean promote, Double candidate, Double champion, String reason, Measured measured) {
        public static Decision refused(String reason) {
            return new Decision(false, null, null, reason, null);
        }
    }

    /**
     * Both versions' value of the policy metric on one evaluation set, the difference in the policy's direction and,
     * with a bootstrap, its confidence interval.
     */
    public record Measured(EvaluationSet set, String metric, int championVersion, double champion, double challenger,
                           double difference, PairedBootstrap.Interval interval) {
    }

    /** A version when there is no champion: its own run's metric, against the majority answer of its run. */
    public static Decision decideFirst(PromotionPolicy policy, RunMetrics candidate) {
        Metric metric = policy.metric();
        Double value = metric.of(candidate.tuned());
        if (value == null || value.isNaN()) {
            return Decision.refused("the run reported no " + metric.wireName());
        }
        Optional<String> majority = belowMajority(policy, candidate);
        if (majority.isPresent()) {
            return new Decision(false, value, null, majority.get(), null);
        }
        return new Decision(true, value, null, "first version to qualify: " + metric.wireName() + " "
                + format(value) + (policy.mustBeatMajority() ? ", beats the majority-class baseline" : ""), null);
    }

    /** A challenger against the champion, both measured on {@code c}'s set. */
    public static Decision decide(PromotionPolicy policy, int championVersion, SameSetComparison c) {
        Metric metric = policy.metric();
        Double value = metric.of(c.challenger().metrics());
        Double current = metric.of(c.champion().metrics());
        String on = " on " + describe(c.set());
        if (value == null || value.isNaN() || current == null || current.isNaN()) {
            return Decision.refused("the evaluation reported no " + metric.wireName() + on);
        }
        Optional<String> majority = belowMajority(policy, c.challengerRun());
        double gain = policy.direction().improvement(value, current);
        PairedBootstrap.Interval interval = null;
        if (policy.bootstrap() != null) {
            boolean[][] hits = c.pairedHits();
            if (hits == null) {
                return Decision.refused("the evaluation reported no per-example outcomes to bootstrap" + on);
            }
            interval = PairedBootstrap.interval(hits[0], hits[1], policy.direction(), policy.bootstrap());
        }
        Measured measured = new Measured(c.set(), metric.wireName(), championVersion, current, value, gain, interval);
        if (majority.isPresent()) {
            return new Decision(false, value, current, majority.get() + on, measured);
        }
        boolean better = gain > 0 && gain >= policy.minImprovement();
        String verdict = better ? "meets the minimum " : gain > 0 ? "below the minimum " : "not better than the champion";
        String comparison = String.format(Locale.ROOT, "%s %s vs champion v%d %s%s (%s is better): improvement %s, %s%s",
                metric.wireName(), format(value), championVersion, format(current), on, policy.direction().wireName(),
                format(gain), verdict, gain > 0 ? format(policy.minImprovement()) : "");
        if (better && interval != null) {
            better = interval.low() > policy.minImprovement();
            comparison += String.format(Locale.ROOT, "; %.0f%% interval [%s, %s] (paired bootstrap, %d samples, seed %d)"
                            + " %s", interval.confidence() * 100, format(interval.low()), format(interval.high()),
                    interval.samples(), interval.seed(), better ? "lies above the minimum"
                            : "reaches down to " + format(interval.low()) + ": not shown to be better");
        } else if (interval != null) {
            comparison += String.format(Locale.ROOT, "; %.0f%% interval [%s, %s]", interval.confidence() * 100,
                    format(interval.low()), format(interval.high()));
        }
        return new Decision(better, value, current, comparison, measured);
    }

    /** Why {@code run} does not beat the majority answer, when the policy requires that and it does not. */
    private static Optional<String> belowMajority(PromotionPolicy policy, RunMetrics run) {
        if (!policy.mustBeatMajority()) {
            return Optional.empty();
        }
        return policy.metric().majority(run).filter(b -> !b.beaten()).map(b -> String.format(Locale.ROOT,
                "%s %.4f does not beat the majority-class baseline %.4f (always answering '%s')",
                b.metric().wireName(), b.model(), b.majority(), run.majority().label()));
    }

    /** {@code transactions v2 validation split (248 examples, sha256 3f2a…)}. */
    public static String describe(EvaluationSet s) {
        return s.dataset() + " v" + s.version() + " " + s.split() + " split (" + s.examples() + " examples, sha256 "
                + (s.sha256() == null ? "?" : s.sha256().substring(0, Math.min(12, s.sha256().length()))) + ")";
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
