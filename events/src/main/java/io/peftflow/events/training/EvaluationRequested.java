package io.peftflow.events.training;

import io.peftflow.events.EventIds;
import io.peftflow.events.contract.InvalidValue;
import io.peftflow.events.contract.ResourceName;
import io.peftflow.events.contract.Tenant;
import io.peftflow.events.contract.Validated;

import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;

/**
 * Payload of {@link io.peftflow.events.EventTypes#TRAINING_EVALUATION_REQUESTED} on
 * {@link io.peftflow.events.Topics#TRAINING_REQUESTS}: measure registered versions of one adapter on one evaluation
 * set, in one job, so that their numbers are comparable. trainer-service runs it as an {@code evaluation} job (id
 * {@link JobIds#of}) and answers with {@link EvaluationSucceeded}, or {@link JobFailed} with the reason.
 *
 * @param requestId  idempotency key: one job per request
 * @param baseModel  the base model every candidate was trained on (the job loads it once)
 * @param set        the dataset version whose validation split every candidate is measured on
 * @param candidates the versions, each by the training job that produced it (its adapter files are that job's)
 */
public record EvaluationRequested(String requestId, String tenant, String adapterName, String baseModel,
                                  DatasetRef set, List<Candidate> candidates, OffsetDateTime requestedAt)
        implements Validated {
    /** At most this many versions in one evaluation (a champion and a challenger need two). */
    public static final int MAX_CANDIDATES = 4;

    /** A registered version and the training job whose adapter it is. */
    public record Candidate(int version, String jobId) {
    }

    public EvaluationRequested {
        candidates = candidates == null ? null : List.copyOf(candidates);
    }

    @Override
    public void validate() {
        Tenant.check("tenant", tenant);
        Validated.id("request_id", requestId);
        ResourceName.check("adapter_name", adapterName);
        Validated.id("base_model", baseModel);
        if (set == null) {
            throw new InvalidValue("set", "set (the evaluation set's dataset and version) is required");
        }
        ResourceName.check("set.name", set.name());
        if (set.version() < 1) {
            throw new InvalidValue("set.version", "set.version must be >= 1, got " + set.version());
        }
        if (candidates == null || candidates.isEmpty() || candidates.size() > MAX_CANDIDATES) {
            throw new InvalidValue("candidates", "1 to " + MAX_CANDIDATES + " candidates, got "
                    + (candidates == null ? 0 : candidates.size()));
        }
        HashSet<Integer> seen = new HashSet<>();
        for (Candidate c : candidates) {
            Validated.id("candidates.job_id", c.jobId());
            if (c.version() < 1 || !seen.add(c.version())) {
                throw new InvalidValue("candidates.version", "candidate versions must be distinct and >= 1, got "
                        + c.version());
            }
        }
    }

    /** The CloudEvent id: one per request, whatever the redelivery. */
    public static String eventId(String tenant, String requestId) {
        return EventIds.of("evaluation-requested", tenant, requestId);
    }

    /** The Kafka key: one adapter's requests in order. */
    public String key() {
        return tenant + "/" + adapterName;
    }
}
