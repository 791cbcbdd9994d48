package io.peftflow.trainer.intake;

import io.peftflow.events.EventTypes;
import io.peftflow.events.contract.ResourceName;
import io.peftflow.events.contract.Validated;
import io.peftflow.events.training.DatasetRef;
import io.peftflow.events.training.EvaluationRequested;
import io.peftflow.events.training.TrainingRequested;
import io.peftflow.events.training.TrainingSettings;
import io.peftflow.kit.intake.EventIntake;
import io.peftflow.trainer.jobs.JobKind;
import io.peftflow.trainer.jobs.JobService;
import io.peftflow.trainer.jobs.JobStatus;
import io.peftflow.trainer.jobs.Recipe;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * {@code peftflow.training-requests}: inserts the request's job (status {@code validating_files}, keyed on the
 * request id; an evaluation request's job is queued) and acknowledges. {@link RequestValidation} checks it afterwards; no record waits on validation or
 * training. Failures: {@link EventIntake}.
 */
@ApplicationScoped
public class TrainingRequestConsumer {
    private static final Map<String, Class<? extends Validated>> TYPES = Map.of(
            EventTypes.TRAINING_REQUESTED, TrainingRequested.class,
            EventTypes.TRAINING_EVALUATION_REQUESTED, EvaluationRequested.class);
    /** The origin of evaluation jobs. */
    static final String ORIGIN_REGISTRY = "registry";

    private final JobService jobs;
    private final EventIntake intake;

    public TrainingRequestConsumer(JobService jobs, EventIntake intake) {
        this.jobs = jobs;
        this.intake = intake;
    }

    @Incoming("training-requests")
    @Blocking
    public CompletionStage<Void> onRequest(Message<String> record) {
        return intake.process(record, "training-requests", TYPES, r -> QuarkusTransaction.requiringNew().run(() -> {
            if (r instanceof EvaluationRequested e) {
                insert(e);
            } else {
                insert((TrainingRequested) r);
            }
        }));
    }

    /** Queued at once: the worker checks the set and the candidates' files, and fails the job naming what is wrong. */
    private void insert(EvaluationRequested r) {
        jobs.submitEvaluation(r, ORIGIN_REGISTRY, new Recipe(r.baseModel(), JobKind.EVALUATION.wire(), null,
                new TrainingSettings(null, null, null, null, null, null, null), 0, r.adapterName(), null, null));
    }

    private void insert(TrainingRequested r) {
        String method = r.method() == null ? null : r.method().name();
        // The same default name as a REST request's.
        String adapter = r.adapterName() != null || method == null ? r.adapterName()
                : ResourceName.derive(r.dataset().name(), method);
        Recipe recipe = new Recipe(r.baseModel(), method, r.method() == null ? null : r.method().config(), r.training(),
                r.seed(), adapter, null, null);
        String origin = r.origin() == null ? TrainingRequested.ORIGIN_API : r.origin();
        DatasetRef dataset = DatasetRef.of(r.dataset().name(), Math.max(0, r.dataset().version()));
        jobs.submit(r.tenant(), r.requestId(), JobService.requestHash(dataset.name(), dataset.version(), recipe), origin,
                dataset, recipe, JobStatus.VALIDATING_FILES, null);
    }
}
