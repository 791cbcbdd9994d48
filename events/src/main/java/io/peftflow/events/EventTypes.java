package io.peftflow.events;

/** CloudEvents {@code type} values. Each names the payload record that its {@code data} holds. */
public final class EventTypes {
    private static final String PREFIX = "io.peftflow.";

    /** An outbox round trip with no business meaning: readiness and smoke tests. */
    public static final String PING = PREFIX + "ping.v1";

    /** A dataset version is stored and visible: {@link io.peftflow.events.dataset.DatasetVersionReady}. */
    public static final String DATASET_VERSION_READY = PREFIX + "dataset.version-ready.v1";
    /** A dataset version was soft-deleted: {@link io.peftflow.events.dataset.DatasetVersionDeleted}. */
    public static final String DATASET_VERSION_DELETED = PREFIX + "dataset.version-deleted.v1";

    /** A request to train: {@link io.peftflow.events.training.TrainingRequested}. */
    public static final String TRAINING_REQUESTED = PREFIX + "training.requested.v1";
    /**
     * A request to measure registered adapter versions on one evaluation set:
     * {@link io.peftflow.events.training.EvaluationRequested}.
     */
    public static final String TRAINING_EVALUATION_REQUESTED = PREFIX + "training.evaluation-requested.v1";
    /** {@link io.peftflow.events.training.JobQueued}. */
    public static final String TRAINING_JOB_QUEUED = PREFIX + "training.job-queued.v1";
    /** {@link io.peftflow.events.training.JobStarted}. */
    public static final String TRAINING_JOB_STARTED = PREFIX + "training.job-started.v1";
    /** {@link io.peftflow.events.training.JobProgress}. */
    public static final String TRAINING_PROGRESS = PREFIX + "training.progress.v1";
    /** {@link io.peftflow.events.training.CheckpointSaved}. */
    public static final String TRAINING_CHECKPOINT_SAVED = PREFIX + "training.checkpoint-saved.v1";
    /** {@link io.peftflow.events.training.JobSucceeded}. */
    public static final String TRAINING_JOB_SUCCEEDED = PREFIX + "training.job-succeeded.v1";
    /** {@link io.peftflow.events.training.JobFailed}. */
    public static final String TRAINING_JOB_FAILED = PREFIX + "training.job-failed.v1";
    /** An evaluation job's scores: {@link io.peftflow.events.training.EvaluationSucceeded}. */
    public static final String TRAINING_EVALUATION_SUCCEEDED = PREFIX + "training.evaluation-succeeded.v1";
    /** {@link io.peftflow.events.training.JobCancelled}. */
    public static final String TRAINING_JOB_CANCELLED = PREFIX + "training.job-cancelled.v1";

    /** {@link io.peftflow.events.adapter.AdapterVersionRegistered}. */
    public static final String ADAPTER_VERSION_REGISTERED = PREFIX + "adapter.version-registered.v1";
    /** {@link io.peftflow.events.adapter.AdapterPromoted}. */
    public static final String ADAPTER_PROMOTED = PREFIX + "adapter.promoted.v1";
    /** {@link io.peftflow.events.adapter.AdapterRegistrationFailed}. */
    public static final String ADAPTER_REGISTRATION_FAILED = PREFIX + "adapter.registration-failed.v1";
    /** {@link io.peftflow.events.adapter.AdapterVersionArchived}. */
    public static final String ADAPTER_VERSION_ARCHIVED = PREFIX + "adapter.version-archived.v1";

    private EventTypes() {
    }
}
