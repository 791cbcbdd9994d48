package io.peftflow.registry.promotion;

import io.peftflow.events.training.RunMetrics;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The tuned model's metrics a policy can rank by (and listings sort by), with the direction that is better and the
 * majority-class baseline they are compared with, where the data has labels.
 */
public enum Metric {
    EXACT_MATCH(Direction.HIGHER, RunMetrics.EvalMetrics::exactMatch, RunMetrics.Baseline::exactMatch),
    MACRO_EXACT_MATCH(Direction.HIGHER, RunMetrics.EvalMetrics::macroExactMatch, RunMetrics.Baseline::macroExactMatch),
    EVAL_LOSS(Direction.LOWER, RunMetrics.EvalMetrics::evalLoss, null),
    PERPLEXITY(Direction.LOWER, RunMetrics.EvalMetrics::perplexity, null),
    TOKEN_ACCURACY(Direction.HIGHER, RunMetrics.EvalMetrics::tokenAccuracy, null);

    private final Direction better;
    private final Function<RunMetrics.EvalMetrics, Double> value;
    private final Function<RunMetrics.Baseline, Double> baseline;

    Metric(Direction better, Function<RunMetrics.EvalMetrics, Double> value,
           Function<RunMetrics.Baseline, Double> baseline) {
        this.better = better;
        this.value = value;
        this.baseline = baseline;
    }

    /** The wire name and the adapter_version column: {@code exact_match}, {@code eval_loss}, ... */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Direction better() {
        return better;
    }

    /** The metric of {@code m}, null when the run did not report it (exact match without labels). */
    public Double of(RunMetrics.EvalMetrics m) {
        return m == null ? null : value.apply(m);
    }

    /**
     * The baseline a model must beat: the majority answer's value of this metric, or for loss-like metrics its
     * exact match (then compared with the model's exact match). Empty without labels.
     */
    public Optional<Baseline> majority(RunMetrics metrics) {
        if (metrics.majority() == null) {
            return Optional.empty();
        }
        Metric kind = baseline != null ? this : EXACT_MATCH;
        Double model = kind.of(metrics.tuned());
        return model == null ? Optional.empty()
                : Optional.of(new Baseline(kind, kind.baseline.apply(metrics.majority()), model));
    }

    /** A model's value of {@code metric} beside the majority answer's. */
    public record Baseline(Metric metric, double majority, double model) {
        public boolean beaten() {
            return model > majority;
        }
    }

    public static Optional<Metric> parse(String wireName) {
        return Arrays.stream(values()).filter(m -> m.wireName().equals(wireName)).findFirst();
    }

    public static String names() {
        return Arrays.stream(values()).map(Metric::wireName).toList().toString();
    }
}
