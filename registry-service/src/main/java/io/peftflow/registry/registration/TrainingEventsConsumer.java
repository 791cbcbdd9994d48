package io.peftflow.registry.registration;

import io.peftflow.events.CloudEvent;
import io.peftflow.events.EventCodec;
import io.peftflow.events.EventTypes;
import io.peftflow.events.training.JobSucceeded;
import io.peftflow.events.training.TrainingJobEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code peftflow.training-events} and registers every {@code training.job-succeeded}; the other job events
 * are not the registry's business. The record is acknowledged once registration has committed (adapter files are
 * small: seconds, well inside the commit strategy's 60 s), so a crash redelivers it and registration resumes. A forged
 * event ({@link ForgedEvent}) is copied to {@code peftflow.registry.dead-letters} and acknowledged.
 */
@ApplicationScoped
public class TrainingEventsConsumer {
    private static final Logger LOG = Logger.getLogger(TrainingEventsConsumer.class);

    private final RegistrationService registrations;
    private final Emitter<String> deadLetters;

    public TrainingEventsConsumer(RegistrationService registrations,
                                  @Channel("registry-dead-letters") Emitter<String> deadLetters) {
        this.registrations = registrations;
        this.deadLetters = deadLetters;
    }

    @Incoming("training-events")
    @Blocking(ordered = false)
    public void consume(String value) {
        CloudEvent event;
        JobSucceeded job;
        try {
            event = EventCodec.decode(value);
            if (!EventTypes.TRAINING_JOB_SUCCEEDED.equals(event.type())) {
                return;
            }
            job = (JobSucceeded) TrainingJobEvent.from(event);
        } catch (IllegalArgumentException e) {
            // A malformed record can never register; blocking the partition on it would stop every later job.
            LOG.errorf("skipping an unreadable training event: %s", e.getMessage());
            return;
        }
        try {
            registrations.register(job);
        } catch (ForgedEvent e) {
            // Kept for whoever investigates, and acknowledged only once it is there (a failed send stops the channel and
            // the record comes again).
            LOG.warnf("refusing a forged training event (dead-lettered to peftflow.registry.dead-letters): %s", e.getMessage());
            deadLetters.send(value).toCompletableFuture().join();
        } catch (IllegalArgumentException e) {
            LOG.errorf("skipping job %s: %s", job.jobId(), e.getMessage());
        }
    }
}
