package io.peftflow.registry.registration;

import io.peftflow.events.EventTypes;
import io.peftflow.events.training.JobSucceeded;
import io.peftflow.kit.intake.EventIntake;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Consumes {@code peftflow.training-events} and registers every {@code training.job-succeeded}; the other job events
 * are not the registry's business. The record is acknowledged once registration has committed (adapter files are
 * small: seconds), so a crash redelivers it and registration resumes. Failures ({@link EventIntake}): PostgreSQL or
 * S3 away is waited out on the same record; a record that can never register goes to
 * {@code peftflow.registry.dead-letters} with its reason; a refused adapter is a {@code failed_registration}; a forged event
 * ({@link ForgedEvent}: files outside its job's own prefix, a wrong size or hash) can never register and is dead-lettered.
 */
@ApplicationScoped
public class TrainingEventsConsumer {
    private static final Map<String, Class<? extends JobSucceeded>> TYPES = Map.of(
            EventTypes.TRAINING_JOB_SUCCEEDED, JobSucceeded.class);

    private final RegistrationService registrations;
    private final EventIntake intake;

    public TrainingEventsConsumer(RegistrationService registrations, EventIntake intake) {
        this.registrations = registrations;
        this.intake = intake;
    }

    @Incoming("training-events")
    @Blocking(ordered = false)
    public CompletionStage<Void> consume(Message<String> record) {
        return intake.process(record, "training-events", TYPES, registrations::register);
    }
}
