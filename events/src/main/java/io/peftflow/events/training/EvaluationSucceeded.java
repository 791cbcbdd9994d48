package io.peftflow.events.training;

import io.peftflow.events.EventTypes;
import io.peftflow.events.contract.InvalidValue;
import io.peftflow.events.contract.Tenant;
import io.peftflow.events.contract.Validated;

import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.BitSet;
import java.util.List;

/**
 * {@code training.evaluation-succeeded}: an evaluation job's answer to {@link EvaluationRequested} — every candidate
 * measured by the same code on the same {@link EvaluationSet}, with each example's exact-match outcome so that the
 * requester can test whether a difference is real (a paired bootstrap). Bounded: at most {@link #MAX_EXAMPLES}
 * examples, i.e. at most a 17 KB string per candidate.
 *
 * @param majority the majority-class answer's scores on the same set (null without labels)
 */
public record EvaluationSucceeded(String jobId, String tenant, String requestId, String adapterName, EvaluationSet set,
                                  List<Score> scores, RunMetrics.Baseline majority, OffsetDateTime finishedAt)
        implements TrainingJobEvent, Validated {
    /** The largest evaluation set whose per-example outcomes travel in the event. */
    public static final int MAX_EXAMPLES = 100_000;

    public EvaluationSucceeded {
        scores = scores == null ? null : List.copyOf(scores);
    }

    /**
     * One candidate's numbers on the set.
     *
     * @param hits base64 of the little-endian bit set whose bit i says that example i (in the split's order) was an
     *             exact match ({@link #encode}); null when the data has no reference answers
     */
    public record Score(int version, RunMetrics.EvalMetrics metrics, String hits) {
        /** Example i's exact-match outcome, for the {@code examples} of the set. */
        public boolean[] hits(int examples) {
            BitSet bits = BitSet.valueOf(Base64.getDecoder().decode(hits));
            boolean[] out = new boolean[examples];
            for (int i = 0; i < examples; i++) {
                out[i] = bits.get(i);
            }
            return out;
        }

        public static String encode(boolean[] hits) {
            BitSet bits = new BitSet(hits.length);
            for (int i = 0; i < hits.length; i++) {
                bits.set(i, hits[i]);
            }
            return Base64.getEncoder().encodeToString(bits.toByteArray());
        }
    }

    @Override
    public void validate() {
        Tenant.check("tenant", tenant);
        Validated.id("job_id", jobId);
        Validated.id("request_id", requestId);
        if (set == null || set.examples() < 1 || set.examples() > MAX_EXAMPLES) {
            throw new InvalidValue("set", "set with 1 to " + MAX_EXAMPLES + " examples is required");
        }
        if (scores == null || scores.isEmpty() || scores.size() > EvaluationRequested.MAX_CANDIDATES) {
            throw new InvalidValue("scores", "1 to " + EvaluationRequested.MAX_CANDIDATES + " scores are required");
        }
        for (Score s : scores) {
            if (s.metrics() == null) {
                throw new InvalidValue("scores.metrics", "version " + s.version() + " has no metrics");
            }
            if (s.hits() != null && s.hits().length() > (MAX_EXAMPLES / 8 + 3) * 4 / 3 + 4) {
                throw new InvalidValue("scores.hits", "version " + s.version() + ": hits longer than "
                        + MAX_EXAMPLES + " examples need");
            }
        }
    }

    /** The score of {@code version}, if it was measured. */
    public java.util.Optional<Score> score(int version) {
        return scores.stream().filter(s -> s.version() == version).findFirst();
    }

    @Override
    public String type() {
        return EventTypes.TRAINING_EVALUATION_SUCCEEDED;
    }
}
