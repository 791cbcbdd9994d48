package io.peftflow.trainer.jobs;

import io.peftflow.data.Sha256;
import io.peftflow.events.training.DatasetRef;
import io.peftflow.events.training.EvaluationRequested;
import io.peftflow.events.training.JobCancelled;
import io.peftflow.events.training.JobFailed;
import io.peftflow.events.training.JobIds;
import io.peftflow.events.training.JobQueued;
import io.peftflow.kit.problem.ProblemException;
import io.peftflow.kit.trace.StoredTrace;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.Response;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Creating, reading and cancelling jobs; a tenant never sees another's. */
@ApplicationScoped
public class JobService {
    private final JobRepository jobs;
    private final JobEvents events;
    private final Event<JobsQueued> queued;

    public JobService(JobRepository jobs, JobEvents events, Event<JobsQueued> queued) {
        this.jobs = jobs;
        this.events = events;
        this.queued = queued;
    }

    /** A job and whether this call created it (false: the request id had made it before). */
    public record Submitted(FineTuningJob job, boolean created) {
    }

    /** The job id of a request: the same on every redelivery of the request. */
    public static String jobId(String tenant, String requestId) {
        return JobIds.of(tenant, requestId);
    }

    /**
     * What makes two requests with one idempotency key the same request: the dataset as asked for ({@code version} 0
     * for the latest) and the recipe.
     */
    public static String requestHash(String dataset, int requestedVersion, Recipe recipe) {
        return Sha256.hex(JsonText.write(new Object[] {dataset, requestedVersion, recipe}));
    }

    /**
     * Inserts the job of a request unless the request made one already. A QUEUED job announces itself and wakes a
     * worker; a VALIDATING_FILES job waits for {@code RequestValidation}.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Submitted submit(String tenant, String requestId, String requestHash, String origin, DatasetRef dataset,
                            Recipe recipe, JobStatus status, OffsetDateTime notBefore) {
        return submit(tenant, requestId, requestHash, origin, dataset, recipe, status, notBefore, null);
    }

    /** The same, for a policy's job: with its dataset version's change against the version last trained on. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Submitted submit(String tenant, String requestId, String requestHash, String origin, DatasetRef dataset,
                            Recipe recipe, JobStatus status, OffsetDateTime notBefore, JobQueued.DataChange newData) {
        FineTuningJob j = new FineTuningJob();
        j.newData = newData == null ? null : JsonText.write(newData);
        return insert(j, tenant, requestId, requestHash, origin, dataset, recipe, status, notBefore);
    }

    /**
     * Queues the evaluation job of {@code request} (registry-service's): {@code recipe} names the base model the
     * candidates were trained on; the job measures them on {@code set}'s validation split.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Submitted submitEvaluation(EvaluationRequested request, String origin, Recipe recipe) {
        FineTuningJob j = new FineTuningJob();
        j.kind = JobKind.EVALUATION;
        j.evaluationRequest = JsonText.write(request);
        return insert(j, request.tenant(), request.requestId(), Sha256.hex(j.evaluationRequest), origin,
                DatasetRef.of(request.set().name(), request.set().version()), recipe, JobStatus.QUEUED, null);
    }

    private Submitted insert(FineTuningJob j, String tenant, String requestId, String requestHash, String origin,
                             DatasetRef dataset, Recipe recipe, JobStatus status, OffsetDateTime notBefore) {
        j.id = jobId(tenant, requestId);
        j.tenant = tenant;
        j.requestId = requestId;
        j.requestHash = requestHash;
        j.origin = origin;
        j.moveTo(status);
        j.recipe = recipe;
        j.datasetName = dataset.name();
        j.datasetVersion = dataset.version();
        j.createdAt = OffsetDateTime.now();
        j.notBefore = notBefore == null ? j.createdAt : notBefore;
        StoredTrace trace = StoredTrace.current();
        if (trace != null) {
            j.traceparent = trace.traceparent();
            j.tracestate = trace.tracestate();
        }
        if (!jobs.insertIfAbsent(j)) {
            return new Submitted(jobs.findByRequest(tenant, requestId).orElseThrow(() -> new IllegalStateException(
                    "job " + j.id + " conflicts with a job of another request")), false);
        }
        FineTuningJob created = jobs.findById(j.id);
        if (status == JobStatus.QUEUED) {
            announceQueued(created);
        }
        return new Submitted(created, true);
    }

    /** 429 naming the limit when the tenant already has {@code max} unfinished jobs; holds the quota lock until commit. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void requireQuota(String tenant, int max) {
        long unfinished = jobs.unfinished(tenant);
        if (unfinished >= max) {
            String reason = "tenant '" + tenant + "' has " + unfinished + " unfinished jobs, the limit "
                    + "(peftflow.trainer.max-active-jobs-per-tenant) is " + max + "; retry when one finishes or cancel one";
            throw new ProblemException(Response.Status.TOO_MANY_REQUESTS, reason,
                    List.of(Map.of("field", "max_active_jobs_per_tenant", "reason", reason, "limit", max)));
        }
    }

    /** A validated job enters the queue. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void announceQueued(FineTuningJob j) {
        Recipe r = j.recipe;
        JobQueued.DataChange change = JsonText.read(j.newData, JobQueued.DataChange.class);
        events.publish(new JobQueued(j.id, j.tenant, r.adapterName(), j.datasetRef(), r.baseModel(), r.method(), j.origin,
                OffsetDateTime.now(), change), "info", "Job queued: " + r.method() + " on " + j.datasetName + " v"
                + j.datasetVersion + " with base model " + r.baseModel() + (change == null ? ""
                : change.comparedTo() == 0 ? "; " + change.newExamples() + " new examples (no earlier version trained)"
                : String.format(java.util.Locale.ROOT, "; %d new examples and %d dropped against version %d%s",
                        change.newExamples(), change.droppedExamples(), change.comparedTo(),
                        change.byContent() ? " (by content)" : " (by example count)")));
        queued.fire(new JobsQueued());
    }

    /** Fails a job that never ran (its request did not validate, its data was deleted). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void reject(FineTuningJob j, String reason) {
        j.moveTo(JobStatus.FAILED);
        j.finishedAt = OffsetDateTime.now();
        j.errorKind = JobFailed.Kind.USER_ERROR.name();
        j.errorMessage = reason;
        events.publish(new JobFailed(j.id, j.tenant, JobFailed.Kind.USER_ERROR, reason, 0, j.finishedAt), "error",
                "Job failed: " + reason);
    }

    /** Fails the jobs waiting to train on a dataset version that was deleted; a running one finishes. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void failWaitingOn(String tenant, String dataset, int version, String reason) {
        jobs.waitingOn(tenant, dataset, version).forEach(j -> reject(j, reason));
    }

    /** Cancels a job no worker holds, e.g. a queued job superseded by a newer dataset version. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void cancelUnstarted(FineTuningJob j, String why) {
        j.moveTo(JobStatus.CANCELLED);
        j.finishedAt = OffsetDateTime.now();
        j.errorMessage = why;
        events.publish(new JobCancelled(j.id, j.tenant, j.lastCheckpointStep, j.finishedAt), "info",
                "Job cancelled: " + why);
    }

    @Transactional
    public FineTuningJob get(String tenant, String id) {
        return jobs.findForTenant(tenant, id).orElseThrow(() ->
                new ProblemException(Response.Status.NOT_FOUND, "no fine-tuning job '" + id + "'"));
    }

    /** A job of one kind: OpenAI's routes know fine-tuning (training) jobs only, the registry's evaluations are 404. */
    @Transactional
    public FineTuningJob get(String tenant, String id, JobKind kind) {
        FineTuningJob j = get(tenant, id);
        if (j.kind != kind) {
            throw new ProblemException(Response.Status.NOT_FOUND, "no fine-tuning job '" + id + "'");
        }
        return j;
    }

    @Transactional
    public Optional<FineTuningJob> byRequest(String tenant, String requestId) {
        return jobs.findByRequest(tenant, requestId);
    }

    /**
     * One page of one kind of job, newest first, after the job {@code after} (a job id; null from the start).
     * Training jobs are the tenant's fine-tuning jobs; evaluation jobs are registry-service's, listed on request only.
     */
    @Transactional
    public List<FineTuningJob> list(String tenant, JobKind kind, String after, int limit, JobStatus status,
                                    String dataset) {
        Long before = after == null ? null : get(tenant, after).seq;
        return jobs.page(tenant, kind, before, limit, status, dataset);
    }

    /** Oldest first after event {@code afterSeq}. */
    @Transactional
    public List<JobEventRow> events(String tenant, String id, long afterSeq, int limit) {
        get(tenant, id);
        return JobEventRow.find("jobId = ?1 and seq > ?2 order by seq", id, afterSeq).page(0, limit).list();
    }

    /** Newest first before event {@code beforeSeq} (OpenAI's order for /events). */
    @Transactional
    public List<JobEventRow> eventsNewestFirst(String tenant, String id, Long beforeSeq, int limit) {
        get(tenant, id);
        return beforeSeq == null
                ? JobEventRow.find("jobId = ?1 order by seq desc", id).page(0, limit).list()
                : JobEventRow.find("jobId = ?1 and seq < ?2 order by seq desc", id, beforeSeq).page(0, limit).list();
    }

    /** A job's result file: the job, succeeded, and the file's content; 404 for any other job. */
    @Transactional
    public ResultFile.Content resultFile(String tenant, String jobId) {
        FineTuningJob j = jobs.findForTenant(tenant, jobId).filter(job -> job.result != null).orElseThrow(() ->
                new ProblemException(Response.Status.NOT_FOUND, "no file '" + ResultFile.id(jobId) + "'"));
        List<JobEventRow> lines = JobEventRow.list("jobId = ?1 and type in ?2 order by seq", jobId, ResultFile.types());
        return new ResultFile.Content(j, ResultFile.csv(lines));
    }

    @Transactional
    public List<JobCheckpoint> checkpoints(String tenant, String id) {
        get(tenant, id);
        return JobCheckpoint.list("jobId = ?1 order by step desc", id);
    }

    /**
     * Cancels at once when no worker holds the job; a running job becomes CANCEL_REQUESTED and its worker stops it
     * at its next heartbeat, keeping its last checkpoint. Cancelling twice is not an error; a finished job is.
     */
    @Transactional
    public FineTuningJob cancel(String tenant, String id) {
        FineTuningJob j = jobs.findForTenant(tenant, id, true).orElseThrow(() ->
                new ProblemException(Response.Status.NOT_FOUND, "no fine-tuning job '" + id + "'"));
        switch (j.status()) {
            case VALIDATING_FILES, QUEUED -> cancelUnstarted(j, "cancelled by the user before it started");
            case RUNNING -> {
                j.moveTo(JobStatus.CANCEL_REQUESTED);
                events.log(j.id, "training.cancel-requested", "info", "Cancel requested; the worker stops at its next heartbeat", null);
            }
            case CANCEL_REQUESTED, CANCELLED -> {
            }
            default -> throw new ProblemException(Response.Status.CONFLICT,
                    "job '" + id + "' already " + j.status().wire() + "; only an unfinished job can be cancelled");
        }
        return j;
    }
}
