package io.peftflow.trainer.jobs;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static io.peftflow.trainer.jobs.JobStatus.CANCELLED;
import static io.peftflow.trainer.jobs.JobStatus.CANCEL_REQUESTED;
import static io.peftflow.trainer.jobs.JobStatus.FAILED;
import static io.peftflow.trainer.jobs.JobStatus.QUEUED;
import static io.peftflow.trainer.jobs.JobStatus.RUNNING;
import static io.peftflow.trainer.jobs.JobStatus.SUCCEEDED;
import static io.peftflow.trainer.jobs.JobStatus.TRAINED;
import static io.peftflow.trainer.jobs.JobStatus.VALIDATING_FILES;

/**
 * The allowed changes of a job's status, per kind of job (after jobrunr's {@code AllowedJobStateStateChanges}): the
 * one rule {@link FineTuningJob#moveTo} enforces. Staying in an unfinished state is allowed (a reclaimed job is
 * running again). Diagram: trainer-service/README.md, "Job states".
 */
public final class JobTransitions {
    private static final Map<JobKind, Map<JobStatus, Set<JobStatus>>> ALLOWED = new EnumMap<>(JobKind.class);

    static {
        Map<JobStatus, Set<JobStatus>> training = new EnumMap<>(JobStatus.class);
        // Arrived over Kafka: checked like a REST request, or cancelled/failed before it is.
        training.put(VALIDATING_FILES, EnumSet.of(QUEUED, FAILED, CANCELLED));
        // FAILED: its dataset version was deleted while it waited; CANCELLED: by the user, or superseded.
        training.put(QUEUED, EnumSet.of(RUNNING, FAILED, CANCELLED));
        training.put(RUNNING, EnumSet.of(CANCEL_REQUESTED, TRAINED, FAILED, CANCELLED));
        training.put(CANCEL_REQUESTED, EnumSet.of(CANCELLED, FAILED));
        // The registry's answer: registered, or refused with its reason.
        training.put(TRAINED, EnumSet.of(SUCCEEDED, FAILED));
        ALLOWED.put(JobKind.TRAINING, training);

        Map<JobStatus, Set<JobStatus>> evaluation = new EnumMap<>(JobStatus.class);
        evaluation.put(QUEUED, EnumSet.of(RUNNING, FAILED, CANCELLED));
        evaluation.put(RUNNING, EnumSet.of(CANCEL_REQUESTED, SUCCEEDED, FAILED, CANCELLED));
        evaluation.put(CANCEL_REQUESTED, EnumSet.of(CANCELLED, FAILED));
        ALLOWED.put(JobKind.EVALUATION, evaluation);
    }

    private JobTransitions() {
    }

    /** The states a job of {@code kind} may start in. */
    public static boolean initial(JobKind kind, JobStatus status) {
        return status == QUEUED || (kind == JobKind.TRAINING && status == VALIDATING_FILES);
    }

    /** Whether a job of {@code kind} may go from {@code from} to {@code to}; nothing leaves a final state. */
    public static boolean allowed(JobKind kind, JobStatus from, JobStatus to) {
        Set<JobStatus> next = ALLOWED.get(kind).get(from);
        return next != null && (from == to || next.contains(to));
    }

    /** A change the table does not allow: a bug in the caller, never a user's mistake. */
    public static final class IllegalTransition extends IllegalStateException {
        public IllegalTransition(String jobId, JobKind kind, JobStatus from, JobStatus to) {
            super("job " + jobId + " (" + kind.wire() + "): " + (from == null ? "no status" : from.wire()) + " -> "
                    + to.wire() + " is not an allowed transition");
        }
    }
}
