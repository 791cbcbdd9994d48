package io.peftflow.trainer.jobs;

import io.peftflow.events.training.DatasetRef;
import io.peftflow.events.training.JobSucceeded;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** One fine-tuning job: its recipe, its dataset version, its place in the queue and how it ended. */
@Entity
@Table(name = "fine_tuning_job")
public class FineTuningJob extends PanacheEntityBase {
    @Id
    public String id;

    @Column(insertable = false, updatable = false)
    public long seq;

    public String tenant;

    @Column(name = "request_id")
    public String requestId;

    @Column(name = "request_hash")
    public String requestHash;

    public String origin;

    @Enumerated(EnumType.STRING)
    public JobKind kind = JobKind.TRAINING;

    /** Written by {@link #moveTo} only. */
    @Enumerated(EnumType.STRING)
    private JobStatus status;

    @Column(name = "dataset_name")
    public String datasetName;

    @Column(name = "dataset_version")
    public int datasetVersion;

    @Embedded
    public Recipe recipe;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "not_before")
    public OffsetDateTime notBefore;

    @Column(name = "started_at")
    public OffsetDateTime startedAt;

    @Column(name = "finished_at")
    public OffsetDateTime finishedAt;

    @Column(name = "worker_id")
    public String workerId;

    public int attempt;

    @Column(name = "lease_expires_at")
    public OffsetDateTime leaseExpiresAt;

    public int step;

    @Column(name = "total_steps")
    public Integer totalSteps;

    @Column(name = "train_loss")
    public Double trainLoss;

    @Column(name = "last_checkpoint_step")
    public int lastCheckpointStep;

    @Column(name = "error_kind")
    public String errorKind;

    @Column(name = "error_message")
    public String errorMessage;

    public String result;

    /** An evaluation job's request (EvaluationRequested as JSON): which versions to measure; null for training. */
    @Column(name = "evaluation_request")
    public String evaluationRequest;

    /** A policy job's JobQueued.DataChange as JSON: new and dropped examples against the version last trained on. */
    @Column(name = "new_data")
    public String newData;

    /** The W3C trace context of the span that queued the job (StoredTrace); the worker's span continues it. */
    public String traceparent;

    public String tracestate;

    /** The registry's version number of the adapter once it registered it. */
    @Column(name = "registered_version")
    public Integer registeredVersion;

    public JobStatus status() {
        return status;
    }

    /**
     * The one writer of a job's status: moves it to {@code to} if {@link JobTransitions} allows that from where it
     * is (a new job: if it may start there).
     *
     * @throws JobTransitions.IllegalTransition otherwise
     */
    public void moveTo(JobStatus to) {
        if (status == null ? !JobTransitions.initial(kind, to) : !JobTransitions.allowed(kind, status, to)) {
            throw new JobTransitions.IllegalTransition(id, kind, status, to);
        }
        status = to;
    }

    public DatasetRef datasetRef() {
        return DatasetRef.of(datasetName, datasetVersion);
    }

    /** The JobSucceeded payload of a succeeded job, else null. */
    public JobSucceeded succeeded() {
        return JsonText.read(result, JobSucceeded.class);
    }
}
