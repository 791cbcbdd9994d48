package io.peftflow.registry.registration;

import io.peftflow.events.EventTypes;
import io.peftflow.events.training.EvaluationSucceeded;
import io.peftflow.events.training.JobFailed;
import io.peftflow.events.training.JobSucceeded;
import io.peftflow.events.training.TrainingJobEvent;
import io.peftflow.registry.evaluation.PromotionEvaluations;
import io.peftflow.kit.intake.EventIntake;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Consumes {@code peftflow.training-events}: registers every {@code training.job-succeeded}, and decides on a
 * challenger when its evaluation job answers ({@code training.evaluation-succeeded}, or {@code training.job-failed} of
 * that job: {@link PromotionEvaluations}); the other job events are not the registry's business. The record is acknowledged once registration has committed (adapter files are
 * small: seconds), so a crash redelivers it and registration resumes. Failures ({@link EventIntake}): PostgreSQL or
 * S3 away is waited out on the same record; a record that can never register goes to
 * {@code peftflow.registry.dead-letters} with its reason; a refused adapter is a {@code failed_registration}; a forged event
 * ({@link ForgedEvent}: files outside its job's own prefix, a wrong size or hash) can never register and is dead-lettered.
 */
@ApplicationScoped
public class TrainingEventsConsumer {
    private static final Map<String, Class<? extends TrainingJobEvent>> TYPES = Map.of(
            EventTypes.TRAINING_JOB_SUCCEEDED, JobSucceeded.class,
            EventTypes.TRAINING_EVALUATION_SUCCEEDED, EvaluationSucceeded.class,
            EventTypes.TRAINING_JOB_FAILED, JobFailed.class);

    private final RegistrationService registrations;
    private final PromotionEvaluations evaluations;
    private final EventIntake intake;

    public TrainingEventsConsumer(RegistrationService registrations, PromotionEvaluations evaluations,
                                  EventIntake intake) {
        this.registrations = registrations;
        this.evaluations = evaluations;
        this.intake = intake;
    }

    @Incoming("training-events")
    @Blocking(ordered = false)
    public CompletionStage<Void> consume(Message<String> record) {
        return intake.process(record, "training-events", TYPES, e -> {
            if (e instanceof JobSucceeded job) {
                registrations.register(job);
            } else if (e instanceof EvaluationSucceeded evaluation) {
                evaluations.answered(evaluation);
            } else {
                evaluations.failed((JobFailed) e);
            }
        });
    }
}
