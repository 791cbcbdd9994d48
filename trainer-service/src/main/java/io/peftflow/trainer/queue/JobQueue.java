package io.peftflow.trainer.queue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.peftflow.events.training.CheckpointSaved;
import io.peftflow.events.training.JobCancelled;
import io.peftflow.events.training.JobFailed;
import io.peftflow.events.training.JobProgress;
import io.peftflow.events.training.JobStarted;
import io.peftflow.events.training.JobSucceeded;
import io.peftflow.trainer.TrainerConfig;
import io.peftflow.trainer.jobs.FineTuningJob;
import io.peftflow.trainer.jobs.JobCheckpoint;
import io.peftflow.trainer.jobs.JobEvents;
import io.peftflow.trainer.jobs.JobStatus;
import io.peftflow.trainer.jobs.JsonText;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The job table as a queue. A worker claims the oldest claimable job of the least-served tenant with {@code SELECT ... FOR UPDATE SKIP LOCKED}
 * in a short transaction (so workers never wait on each other) and then holds it by a lease that its heartbeat renews.
 * A job whose lease ran out — its worker died — is claimable again and resumes from its last checkpoint. Every later
 * write by the worker locks the row and checks that the lease is still its own, so a worker that lost its job (and
 * the API's cancel, which locks the same row) can never be overwritten.
 */
@ApplicationScoped
public class JobQueue {
    private final EntityManager em;
    private final JobEvents events;
    private final TrainerConfig config;
    /** {@code peftflow_jobs_leases_lost_total}: PrometheusRule PeftflowLeasesLost alerts on its rate. */
    private final Counter leasesLost;

    public JobQueue(EntityManager em, JobEvents events, TrainerConfig config, MeterRegistry meters) {
        this.em = em;
        this.events = events;
        this.config = config;
        this.leasesLost = Counter.builder("peftflow.jobs.leases.lost")
                .description("Jobs claimed again because their worker's lease expired (the worker died or stalled)")
                .register(meters);
    }

    /** A claimed job with the checkpoint it resumes from (null for a fresh start). */
    public record Claim(Lease lease, FineTuningJob job, JobCheckpoint resumeFrom) {
    }

    /**
     * Claims the next job for {@code workerId} training on {@code device}; empty when none is claimable. A job whose
     * worker died while it was being cancelled ends cancelled here; one that has used up its attempts ends failed.
     */
    @Transactional
    public Optional<Claim> claim(String workerId, String device) {
        @SuppressWarnings("unchecked")
        // claimable_job (V2__job_states.sql) is the one definition, shared with the workers' KEDA trigger in k8s/.
        // Fair across tenants: the tenant with the fewest jobs in training goes first, first come first served among
        // equals, so one tenant's thousand queued jobs do not starve another's one.
        List<String> ids = em.createNativeQuery("""
                SELECT c.id FROM claimable_job c
                ORDER BY (SELECT count(*) FROM fine_tuning_job r WHERE r.tenant = c.tenant
                            AND r.status IN ('RUNNING', 'CANCEL_REQUESTED') AND r.lease_expires_at >= now()), c.seq
                LIMIT 1 FOR UPDATE OF c SKIP LOCKED""").getResultList();
        if (ids.isEmpty()) {
            return Optional.empty();
        }
        FineTuningJob j = em.find(FineTuningJob.class, ids.get(0));
        em.refresh(j);
        OffsetDateTime now = OffsetDateTime.now();
        if (j.status() == JobStatus.CANCEL_REQUESTED) {
            finish(j, JobStatus.CANCELLED, now);
            events.publish(new JobCancelled(j.id, j.tenant, j.lastCheckpointStep, now), "info",
                    "Job cancelled (its worker stopped before confirming)");
            return Optional.empty();
        }
        if (j.attempt >= config.maxAttempts()) {
            fail(j, JobFailed.Kind.SYSTEM_ERROR, "the job's worker was lost " + j.attempt + " times", now);
            return Optional.empty();
        }
        boolean reclaimed = j.status() == JobStatus.RUNNING;
        if (reclaimed) {
            leasesLost.increment();
        }
        j.moveTo(JobStatus.RUNNING);
        j.workerId = workerId;
        j.attempt++;
        j.leaseExpiresAt = now.plus(config.lease());
        if (j.startedAt == null) {
            j.startedAt = now;
        }
        JobCheckpoint resume = j.lastCheckpointStep > 0
                ? JobCheckpoint.find("jobId = ?1 and step = ?2", j.id, j.lastCheckpointStep).firstResult() : null;
        String how = resume == null ? "started" : "resumed from step " + resume.step;
        events.publish(new JobStarted(j.id, j.tenant, workerId, j.attempt, resume == null ? 0 : resume.step, device, now),
                "info", "Worker " + workerId + " " + how + " on " + device + " (attempt " + j.attempt
                        + (reclaimed ? ", after the previous worker's lease expired" : "") + ")", j.attempt);
        return Optional.of(new Claim(new Lease(j.id, j.tenant, workerId, j.attempt), j, resume));
    }

    /**
     * The heartbeat: renews the lease and records the latest progress (a {@code training.progress} event when the
     * step moved). Returns the job's status — CANCEL_REQUESTED tells the worker to stop — or empty when the lease is
     * no longer this worker's.
     */
    @Transactional
    public Optional<JobStatus> renew(Lease lease, JobProgress progress) {
        Optional<FineTuningJob> owned = owned(lease);
        owned.ifPresent(j -> {
            j.leaseExpiresAt = OffsetDateTime.now().plus(config.lease());
            if (progress != null && progress.step() > j.step) {
                j.step = progress.step();
                j.totalSteps = progress.totalSteps();
                j.trainLoss = progress.trainLoss();
                events.publish(progress, "info", String.format(Locale.ROOT,
                        "Step %d/%d: training loss=%.4f, learning rate=%.3g, %.0f tokens/s", progress.step(),
                        progress.totalSteps(), progress.trainLoss(), progress.learningRate(), progress.tokensPerSecond()),
                        lease.attempt(), progress.step());
            }
        });
        return owned.map(FineTuningJob::status);
    }

    /** An evaluation during training, for the job's log only. */
    @Transactional
    public void logEvaluation(Lease lease, int step, String message, Object data) {
        owned(lease).ifPresent(j -> events.log(j.id, "training.evaluation", "info", message, JsonText.write(data)));
    }

    /** A checkpoint is in S3: the job resumes from it if its worker dies. False when the lease was lost. */
    @Transactional
    public boolean checkpointSaved(Lease lease, int step, String uri, Double trainLoss) {
        Optional<FineTuningJob> owned = owned(lease);
        owned.ifPresent(j -> {
            j.leaseExpiresAt = OffsetDateTime.now().plus(config.lease());
            j.lastCheckpointStep = step;
            JobCheckpoint c = JobCheckpoint.find("jobId = ?1 and step = ?2", j.id, step).firstResult();
            if (c != null) {
                // The same step saved again (a cancel right after a periodic save): same files, already announced.
                c.createdAt = OffsetDateTime.now();
                return;
            }
            c = new JobCheckpoint();
            c.jobId = j.id;
            c.step = step;
            c.uri = uri;
            c.trainLoss = trainLoss;
            c.createdAt = OffsetDateTime.now();
            c.persist();
            events.publish(new CheckpointSaved(j.id, j.tenant, step, uri), "info", "Checkpoint at step " + step
                    + " saved to " + uri, lease.attempt(), step);
        });
        return owned.isPresent();
    }

    /** How a finished run was recorded. */
    public enum Outcome { TRAINED, CANCELLED, FAILED, LOST }

    /**
     * The job is trained: its status ({@code trained}: registration pending), result and
     * {@code training.job-succeeded} event — what registry-service registers — in one transaction. A job whose cancel
     * was requested meanwhile ends cancelled instead (no succeeded event for a job the user cancelled).
     *
     * @param level   {@code warning} when the tuned model does not beat the majority class (the summary says so)
     * @param stopped why training ended before its last step or kept an earlier step's weights (null: neither)
     */
    @Transactional
    public Outcome succeed(Lease lease, JobSucceeded result, String summary, String level, String stopped) {
        Optional<FineTuningJob> owned = owned(lease);
        if (owned.isEmpty()) {
            return Outcome.LOST;
        }
        FineTuningJob j = owned.get();
        if (j.status() == JobStatus.CANCEL_REQUESTED) {
            return cancelled(j);
        }
        j.moveTo(JobStatus.TRAINED);
        j.leaseExpiresAt = null;
        j.step = result.steps();
        j.result = JsonText.write(result);
        if (stopped != null) {
            events.log(j.id, "training.stopped", "info", stopped, null);
        }
        events.publish(result, level, "Job trained: " + summary + "; registration pending");
        return Outcome.TRAINED;
    }

    /** The run stopped on the cancel request; its last checkpoint stays. */
    @Transactional
    public Outcome cancelled(Lease lease) {
        return owned(lease).map(this::cancelled).orElse(Outcome.LOST);
    }

    private Outcome cancelled(FineTuningJob j) {
        OffsetDateTime now = OffsetDateTime.now();
        finish(j, JobStatus.CANCELLED, now);
        events.publish(new JobCancelled(j.id, j.tenant, j.lastCheckpointStep, now), "info",
                "Job cancelled; last checkpoint at step " + j.lastCheckpointStep + " kept");
        return Outcome.CANCELLED;
    }

    @Transactional
    public Outcome failed(Lease lease, JobFailed.Kind kind, String reason) {
        return owned(lease).map(j -> {
            fail(j, kind, reason, OffsetDateTime.now());
            return Outcome.FAILED;
        }).orElse(Outcome.LOST);
    }

    /** Gives a job back without finishing it (the worker is shutting down): the next claim resumes it at once. */
    @Transactional
    public void release(Lease lease) {
        owned(lease).ifPresent(j -> j.leaseExpiresAt = OffsetDateTime.now().minusSeconds(1));
    }

    private void fail(FineTuningJob j, JobFailed.Kind kind, String reason, OffsetDateTime now) {
        finish(j, JobStatus.FAILED, now);
        j.errorKind = kind.name();
        j.errorMessage = reason;
        events.publish(new JobFailed(j.id, j.tenant, kind, reason, j.lastCheckpointStep, now), "error",
                "Job failed (" + kind.name().toLowerCase(Locale.ROOT) + "): " + reason);
    }

    private static void finish(FineTuningJob j, JobStatus status, OffsetDateTime at) {
        j.moveTo(status);
        j.finishedAt = at;
        j.leaseExpiresAt = null;
    }

    private Optional<FineTuningJob> owned(Lease lease) {
        FineTuningJob j = em.find(FineTuningJob.class, lease.jobId(), LockModeType.PESSIMISTIC_WRITE);
        if (j == null || !lease.workerId().equals(j.workerId) || j.attempt != lease.attempt()
                || (j.status() != JobStatus.RUNNING && j.status() != JobStatus.CANCEL_REQUESTED)) {
            return Optional.empty();
        }
        return Optional.of(j);
    }
}
