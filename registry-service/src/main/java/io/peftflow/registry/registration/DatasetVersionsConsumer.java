package io.peftflow.registry.registration;

import io.peftflow.events.EventTypes;
import io.peftflow.events.dataset.DatasetVersionDeleted;
import io.peftflow.events.dataset.DatasetVersionReady;
import io.peftflow.kit.intake.EventIntake;
import io.peftflow.registry.catalog.VersionRepository;
import io.peftflow.registry.evaluation.DatasetVersions;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * {@code peftflow.dataset-versions}: {@code dataset.version-ready} is recorded for evaluation sets
 * ({@link DatasetVersions}); on {@code dataset.version-deleted} every version trained on that dataset version is marked
 * ({@code dataset_deleted_at}) and from then on never promoted — a champion trained on it stays champion until a
 * person moves the alias — and the version can no longer be pinned as an evaluation set. Failures: {@link EventIntake}.
 */
@ApplicationScoped
public class DatasetVersionsConsumer {
    private static final Logger LOG = Logger.getLogger(DatasetVersionsConsumer.class);
    private static final Map<String, Class<? extends Record>> TYPES = Map.of(
            EventTypes.DATASET_VERSION_READY, DatasetVersionReady.class,
            EventTypes.DATASET_VERSION_DELETED, DatasetVersionDeleted.class);

    private final VersionRepository versions;
    private final DatasetVersions datasets;
    private final EventIntake intake;

    public DatasetVersionsConsumer(VersionRepository versions, DatasetVersions datasets, EventIntake intake) {
        this.versions = versions;
        this.datasets = datasets;
        this.intake = intake;
    }

    @Incoming("dataset-versions")
    @Blocking
    public CompletionStage<Void> consume(Message<String> record) {
        return intake.process(record, "dataset-versions", TYPES, e -> QuarkusTransaction.requiringNew().run(() -> {
            if (e instanceof DatasetVersionReady ready) {
                datasets.ready(ready);
                return;
            }
            DatasetVersionDeleted d = (DatasetVersionDeleted) e;
            OffsetDateTime at = d.deletedAt() == null ? OffsetDateTime.now() : d.deletedAt();
            datasets.deleted(d, at);
            int marked = versions.markTrainedOnDeleted(d.tenant(), d.dataset(), d.version(), at);
            if (marked > 0) {
                LOG.infof("dataset %s/%s v%d deleted: %d adapter version(s) trained on it marked, never promoted",
                        d.tenant(), d.dataset(), d.version(), marked);
            }
        }));
    }
}
