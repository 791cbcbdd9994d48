package io.peftflow.trainer.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.peftflow.events.training.DatasetRef;
import io.peftflow.events.training.TrainingRequested;
import io.peftflow.kit.limits.WorkBudget;
import io.peftflow.kit.problem.FieldError;
import io.peftflow.kit.problem.ProblemException;
import io.peftflow.trainer.TrainerConfig;
import io.peftflow.trainer.datasets.KnownVersions;
import io.peftflow.trainer.jobs.FineTuningJob;
import io.peftflow.trainer.jobs.JobService;
import io.peftflow.trainer.jobs.JobStatus;
import io.peftflow.trainer.jobs.Recipe;
import io.peftflow.trainer.validation.InvalidRequest;
import io.peftflow.trainer.validation.JobValidator;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.UUID;

/**
 * {@code POST} of a job, in either dialect: validates the request completely, then queues its job. The same
 * {@code Idempotency-Key} again returns the job it made; with a different request it is a 409.
 * <p>
 * A request whose {@code training_file} names a dataset version this service has not heard of yet waits up to
 * {@code peftflow.trainer.announcement-wait} for its announcement: OpenAI's clients create the job right after the
 * upload returns, a moment before the version's event arrives here.
 */
@ApplicationScoped
class JobCreation {
    private static final long ANNOUNCEMENT_POLL_MS = 100;

    private final JobService jobs;
    private final JobValidator validator;
    private final KnownVersions versions;
    private final TrainerConfig config;
    private final WorkBudget budget;

    JobCreation(JobService jobs, JobValidator validator, KnownVersions versions, TrainerConfig config, WorkBudget budget) {
        this.jobs = jobs;
        this.validator = validator;
        this.versions = versions;
        this.config = config;
        this.budget = budget;
    }

    /** The job and whether this request created it (false: its Idempotency-Key made it before). */
    record Created(FineTuningJob job, boolean created) {
    }

    Created create(String tenant, String key, JsonNode body) {
        if (key != null && (key.isBlank() || key.length() > 200)) {
            throw new Requests.BadRequest(List.of(new FieldError("Idempotency-Key", "Idempotency-Key must have 1 to 200 characters")));
        }
        Requests.JobBody request = Requests.job(body, config.defaultBaseModel());
        String requestId = key != null ? "key/" + key : "api/" + UUID.randomUUID();
        String hash = JobService.requestHash(request.dataset(), request.version(), request.recipe());
        FineTuningJob earlier = replay(tenant, requestId, hash);
        if (earlier != null) {
            return new Created(earlier, false);
        }
        Recipe recipe;
        try {
            // Validation and the memory plan: CPU-bound, off the request thread and within a time budget (503 past it).
            recipe = budget.within("validating the recipe", () -> validator.recipe(request.recipe()));
        } catch (InvalidRequest e) {
            throw request.asSent(e);
        }
        if (request.awaitsAnnouncement()) {
            awaitAnnouncement(tenant, request);
        }
        JobService.Submitted submitted = QuarkusTransaction.requiringNew().call(() -> {
            jobs.requireQuota(tenant, config.maxActiveJobsPerTenant());
            DatasetRef dataset = dataset(tenant, request);
            Recipe warm;
            try {
                warm = validator.lineage(tenant, recipe);
            } catch (InvalidRequest e) {
                throw request.asSent(e);
            }
            return jobs.submit(tenant, requestId, hash, TrainingRequested.ORIGIN_API, dataset, warm,
                    JobStatus.QUEUED, null);
        });
        if (!submitted.created()) {
            // A concurrent request with the same key won the insert.
            return new Created(replay(tenant, requestId, hash), false);
        }
        return new Created(submitted.job(), true);
    }

    /** The version the job trains on; a refusal names the request's field ({@code training_file} for OpenAI's). */
    private DatasetRef dataset(String tenant, Requests.JobBody request) {
        try {
            return validator.dataset(tenant, request.dataset(), request.version());
        } catch (InvalidRequest e) {
            throw request.asSent(e);
        }
    }

    /** Returns once the version is known or the wait is over (then the validator's 422 says what is missing). */
    private void awaitAnnouncement(String tenant, Requests.JobBody request) {
        long deadline = System.nanoTime() + config.announcementWait().toNanos();
        while (QuarkusTransaction.requiringNew().call(() -> versions.version(tenant, request.dataset(),
                request.version()).isEmpty()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(ANNOUNCEMENT_POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private FineTuningJob replay(String tenant, String requestId, String hash) {
        FineTuningJob j = jobs.byRequest(tenant, requestId).orElse(null);
        if (j != null && !j.requestHash.equals(hash)) {
            throw new ProblemException(Response.Status.CONFLICT, "Idempotency-Key was used for a different request (job "
                    + j.id + ")");
        }
        return j;
    }
}
