package io.peftflow.registry.registration;

import io.peftflow.events.EventTypes;
import io.peftflow.events.dataset.DatasetVersionDeleted;
import io.peftflow.kit.intake.EventIntake;
import io.peftflow.registry.catalog.VersionRepository;
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
 * {@code dataset.version-deleted} on {@code peftflow.dataset-versions}: every version trained on that dataset version
 * is marked ({@code dataset_deleted_at}) and from then on never promoted; a champion trained on it stays champion
 * until a person moves the alias. Failures: {@link EventIntake}.
 */
@ApplicationScoped
public class DatasetDeletionsConsumer {
    private static final Logger LOG = Logger.getLogger(DatasetDeletionsConsumer.class);
    private static final Map<String, Class<? extends DatasetVersionDeleted>> TYPES = Map.of(
            EventTypes.DATASET_VERSION_DELETED, DatasetVersionDeleted.class);

    private final VersionRepository versions;
    private final EventIntake intake;

    public DatasetDeletionsConsumer(VersionRepository versions, EventIntake intake) {
        this.versions = versions;
        this.intake = intake;
    }

    @Incoming("dataset-versions")
    @Blocking
    public CompletionStage<Void> consume(Message<String> record) {
        return intake.process(record, "dataset-versions", TYPES, d -> QuarkusTransaction.requiringNew().run(() -> {
            int marked = versions.markTrainedOnDeleted(d.tenant(), d.dataset(), d.version(),
                    d.deletedAt() == null ? OffsetDateTime.now() : d.deletedAt());
            if (marked > 0) {
                LOG.infof("dataset %s/%s v%d deleted: %d adapter version(s) trained on it marked, never promoted",
                        d.tenant(), d.dataset(), d.version(), marked);
            }
        }));
    }
}
