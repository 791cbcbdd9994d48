package io.peftflow.trainer.intake;

import io.peftflow.events.CloudEvent;
import io.peftflow.events.EventCodec;
import io.peftflow.events.EventTypes;
import io.peftflow.events.training.DatasetRef;
import io.peftflow.events.training.TrainingRequested;
import io.peftflow.kit.names.Names;
import io.peftflow.trainer.jobs.JobService;
import io.peftflow.trainer.jobs.JobStatus;
import io.peftflow.trainer.jobs.Recipe;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;


/**
 * {@code peftflow.training-requests}: inserts the request's job (status {@code validating_files}, keyed on the
 * request id, else the event id) and acknowledges. {@link RequestValidation} checks it afterwards; no record waits
 * on validation or training.
 */
@ApplicationScoped
public class TrainingRequestConsumer {
    private static final Logger LOG = Logger.getLogger(TrainingRequestConsumer.class);

    private final JobService jobs;

    public TrainingRequestConsumer(JobService jobs) {
        this.jobs = jobs;
    }

    @Incoming("training-requests")
    @Blocking
    @Transactional
    public void onRequest(String record) {
        CloudEvent event;
        TrainingRequested r;
        try {
            event = EventCodec.decode(record);
            if (!EventTypes.TRAINING_REQUESTED.equals(event.type())) {
                return;
            }
            r = EventCodec.payload(event, TrainingRequested.class);
        } catch (IllegalArgumentException e) {
            LOG.errorf("skipping an unreadable record on training-requests: %s", e.getMessage());
            return;
        }
        if (!Names.valid(r.tenant()) || r.dataset() == null) {
            LOG.errorf("skipping training request %s: no valid tenant or dataset", event.id());
            return;
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
