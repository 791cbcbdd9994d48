package io.peftflow.trainer.intake;

import io.peftflow.events.EventTypes;
import io.peftflow.events.adapter.AdapterEvent;
import io.peftflow.events.adapter.AdapterPromoted;
import io.peftflow.events.adapter.AdapterRegistrationFailed;
import io.peftflow.events.adapter.AdapterVersionArchived;
import io.peftflow.events.adapter.AdapterVersionRegistered;
import io.peftflow.kit.intake.EventIntake;
import io.peftflow.trainer.jobs.JobRegistrations;
import io.peftflow.trainer.jobs.WarmStarts;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * {@code peftflow.adapter-events}: the registry's answer to each trained job (registered as version N, or refused
 * with a reason) becomes the job's final status; promotions record each adapter's champion, which warm starts
 * ({@code init_from: {"alias": "champion"}}) and stacks ({@code stack_on: ["name"]}) load; archived versions are
 * never loaded again. Failures: {@link EventIntake}.
 */
@ApplicationScoped
public class AdapterEventsConsumer {
    private static final Map<String, Class<? extends AdapterEvent>> TYPES = Map.of(
            EventTypes.ADAPTER_VERSION_REGISTERED, AdapterVersionRegistered.class,
            EventTypes.ADAPTER_REGISTRATION_FAILED, AdapterRegistrationFailed.class,
            EventTypes.ADAPTER_PROMOTED, AdapterPromoted.class,
            EventTypes.ADAPTER_VERSION_ARCHIVED, AdapterVersionArchived.class);

    private final JobRegistrations registrations;
    private final EventIntake intake;
    private final WarmStarts warmStarts;

    public AdapterEventsConsumer(JobRegistrations registrations, EventIntake intake, WarmStarts warmStarts) {
        this.registrations = registrations;
        this.intake = intake;
        this.warmStarts = warmStarts;
    }

    @Incoming("adapter-events")
    @Blocking
    public CompletionStage<Void> onAdapterEvent(Message<String> record) {
        return intake.process(record, "adapter-events", TYPES, event -> QuarkusTransaction.requiringNew().run(() -> {
            if (event instanceof AdapterVersionRegistered r) {
                registrations.registered(r);
            } else if (event instanceof AdapterRegistrationFailed f) {
                registrations.refused(f);
            } else if (event instanceof AdapterPromoted p) {
                warmStarts.promoted(p);
            } else if (event instanceof AdapterVersionArchived a) {
                warmStarts.archived(a);
            }
        }));
    }
}
