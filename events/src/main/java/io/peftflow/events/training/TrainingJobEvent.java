package io.peftflow.events.training;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.peftflow.events.CloudEvent;
import io.peftflow.events.EventCodec;
import io.peftflow.events.EventIds;
import io.peftflow.events.EventTypes;

import java.util.Map;

/**
 * The payloads of {@link io.peftflow.events.Topics#TRAINING_EVENTS}: a fine-tuning job's lifecycle. Every record of
 * one job is keyed on the topic by {@link #key()}, so a consumer sees a job's events in order.
 */
public sealed interface TrainingJobEvent permits JobQueued, JobStarted, JobProgress, CheckpointSaved, JobSucceeded,
        JobFailed, JobCancelled, EvaluationSucceeded {

    /** The payload record of each training event type. */
    Map<String, Class<? extends TrainingJobEvent>> TYPES = Map.of(
            EventTypes.TRAINING_JOB_QUEUED, JobQueued.class,
            EventTypes.TRAINING_JOB_STARTED, JobStarted.class,
            EventTypes.TRAINING_PROGRESS, JobProgress.class,
            EventTypes.TRAINING_CHECKPOINT_SAVED, CheckpointSaved.class,
            EventTypes.TRAINING_JOB_SUCCEEDED, JobSucceeded.class,
            EventTypes.TRAINING_JOB_FAILED, JobFailed.class,
            EventTypes.TRAINING_JOB_CANCELLED, JobCancelled.class,
            EventTypes.TRAINING_EVALUATION_SUCCEEDED, EvaluationSucceeded.class);

    String jobId();

    String tenant();

    /** The CloudEvents {@code type} of this payload, one of {@link EventTypes}' {@code TRAINING_*}. */
    @JsonIgnore
    String type();

    /** The Kafka record key: one partition per job keeps its events in order. */
    @JsonIgnore
    default String key() {
        return tenant() + "/" + jobId();
    }

    /** The CloudEvents subject. */
    @JsonIgnore
    default String subject() {
        return "fine-tuning/jobs/" + tenant() + "/" + jobId();
    }

    /**
     * Wraps this payload in an envelope whose id is stable for the fact: the job, the type and, for facts that
     * happen more than once per job, a discriminator (a progress or checkpoint step, an attempt).
     */
    default CloudEvent toCloudEvent(String source, Object... discriminator) {
        String[] parts = new String[2 + discriminator.length];
        parts[0] = jobId();
        parts[1] = type();
        for (int i = 0; i < discriminator.length; i++) {
            parts[2 + i] = String.valueOf(discriminator[i]);
        }
        return EventCodec.wrap(source, type(), subject(), this).withId(EventIds.of(parts));
    }

    /** Reads a training envelope as its payload record; an unknown type is an {@link IllegalArgumentException}. */
    static TrainingJobEvent from(CloudEvent event) {
        Class<? extends TrainingJobEvent> type = TYPES.get(event.type());
        if (type == null) {
            throw new IllegalArgumentException("event " + event.id() + " has type " + event.type()
                    + ", not a training job event");
        }
        return EventCodec.payload(event, type);
    }
}
