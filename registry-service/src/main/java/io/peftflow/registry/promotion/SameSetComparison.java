package io.peftflow.registry.promotion;

import io.peftflow.events.training.EvaluationSet;
import io.peftflow.events.training.EvaluationSucceeded;
import io.peftflow.events.training.RunMetrics;

/**
 * A challenger and the champion measured by one evaluation job on one set: the only input from which
 * {@link Promoter#decide} compares two versions. Both scores come out of the same {@link EvaluationSucceeded}, so
 * numbers measured on different sets cannot meet here — there is no other way to make one.
 */
public final class SameSetComparison {
    private final EvaluationSet set;
    private final EvaluationSucceeded.Score challenger;
    private final EvaluationSucceeded.Score champion;
    private final RunMetrics.Baseline majority;

    private SameSetComparison(EvaluationSucceeded result, EvaluationSucceeded.Score challenger,
                              EvaluationSucceeded.Score champion) {
        this.set = result.set();
        this.challenger = challenger;
        this.champion = champion;
        this.majority = result.majority();
    }

    /** The two versions' scores in {@code result}; an {@link IllegalArgumentException} when one was not measured. */
    public static SameSetComparison of(EvaluationSucceeded result, int challenger, int champion) {
        return new SameSetComparison(result, score(result, challenger), score(result, champion));
    }

    private static EvaluationSucceeded.Score score(EvaluationSucceeded result, int version) {
        return result.score(version).orElseThrow(() -> new IllegalArgumentException("evaluation job " + result.jobId()
                + " did not measure version " + version));
    }

    public EvaluationSet set() {
        return set;
    }

    public EvaluationSucceeded.Score challenger() {
        return challenger;
    }

    public EvaluationSucceeded.Score champion() {
        return champion;
    }

    /** The challenger's numbers beside the majority answer's, on the same set: what {@link Metric#majority} reads. */
    RunMetrics challengerRun() {
        return new RunMetrics(null, challenger.metrics(), majority);
    }

    /** Each example's exact match, challenger then champion, in the set's order; null when not reported. */
    boolean[][] pairedHits() {
        if (challenger.hits() == null || champion.hits() == null) {
            return null;
        }
        return new boolean[][] {challenger.hits(set.examples()), champion.hits(set.examples())};
    }
}
