package io.peftflow.trainer.intake;

import io.peftflow.events.CloudEvent;
import io.peftflow.events.EventCodec;
import io.peftflow.events.EventTypes;
import io.peftflow.events.contract.Tenant;
import io.peftflow.events.training.DatasetRef;
import io.peftflow.events.training.TrainingRequested;
import io.peftflow.trainer.jobs.JobService;
import io.peftflow.trainer.jobs.JobStatus;
import io.peftflow.trainer.jobs.Recipe;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/**
 * {@code peftflow.training-requests}: inserts the request's job (status {@code validating_files}, keyed on the
 * request id, else the event id) and acknowledges. {@link RequestValidation} checks it afterwards; no record waits
 * on validation or training. Failures: {@link IntakeTransactions}.
 */
@ApplicationScoped
public class TrainingRequestConsumer {
    private final JobService jobs;
    private final IntakeTransactions intake;

    public TrainingRequestConsumer(JobService jobs, IntakeTransactions intake) {
        this.jobs = jobs;
        this.intake = intake;
    }

    @Incoming("training-requests")
    @Blocking
    public CompletionStage<Void> onRequest(Message<String> record) {
        return intake.process(record, "training-requests", this::insert);
    }

    private void insert(String value) {
        CloudEvent event = EventCodec.decode(value);
        if (!EventTypes.TRAINING_REQUESTED.equals(event.type())) {
            return;
        }
        TrainingRequested r = EventCodec.payload(event, TrainingRequested.class);
        if (!Tenant.valid(r.tenant()) || r.dataset() == null) {
            throw new IllegalArgumentException("training request " + event.id() + ": no valid tenant or dataset");
        }
        String requestId = r.requestId() == null || r.requestId().isBlank() ? event.id() : r.requestId();
        Recipe recipe = new Recipe(r.baseModel(), r.method() == null ? null : r.method().name(),
                r.method() == null ? null : r.method().config(), r.training(), r.seed(), r.adapterName());
        String origin = r.origin() == null ? TrainingRequested.ORIGIN_API : r.origin();
        DatasetRef dataset = DatasetRef.of(r.dataset().name(), Math.max(0, r.dataset().version()));
        jobs.submit(r.tenant(), requestId, JobService.requestHash(dataset.name(), dataset.version(), recipe), origin,
                dataset, recipe, JobStatus.VALIDATING_FILES, null);
    }
}
