package io.peftflow.trainer.intake;

import io.peftflow.events.EventTypes;
import io.peftflow.events.contract.S3Uri;
import io.peftflow.events.dataset.DatasetVersionDeleted;
import io.peftflow.events.dataset.DatasetVersionReady;
import io.peftflow.kit.intake.EventIntake;
import io.peftflow.trainer.TrainerConfig;
import io.peftflow.trainer.datasets.KnownVersions;
import io.peftflow.trainer.jobs.JobService;
import io.peftflow.trainer.policies.PolicyService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * {@code peftflow.dataset-versions}: records each announced version (what requests are validated against) and, under
 * a retraining policy, inserts its job; records each deletion and fails the jobs still waiting on that version (a
 * running one finishes; its lineage says the data was deleted). One short transaction per record, then it is
 * acknowledged; a redelivery changes nothing. An announcement whose splits lie outside the dataset's own
 * {@code <tenant>/<dataset>/} prefix is refused (dead-lettered). Failures: {@link EventIntake}.
 */
@ApplicationScoped
public class DatasetVersionConsumer {
    private static final Map<String, Class<? extends Record>> TYPES = Map.of(
            EventTypes.DATASET_VERSION_READY, DatasetVersionReady.class,
            EventTypes.DATASET_VERSION_DELETED, DatasetVersionDeleted.class);

    private final KnownVersions versions;
    private final PolicyService policies;
    private final JobService jobs;
    private final EventIntake intake;
    private final String datasetsBucket;

    public DatasetVersionConsumer(KnownVersions versions, PolicyService policies, JobService jobs, EventIntake intake,
                                  TrainerConfig config) {
        this.versions = versions;
        this.policies = policies;
        this.jobs = jobs;
        this.intake = intake;
        this.datasetsBucket = config.datasetsBucket();
    }

    @Incoming("dataset-versions")
    @Blocking
    public CompletionStage<Void> onVersion(Message<String> record) {
        return intake.process(record, "dataset-versions", TYPES, event -> QuarkusTransaction.requiringNew().run(() -> {
            if (event instanceof DatasetVersionReady v) {
                requireOwnPrefix(v);
                if (versions.recordIfNew(v)) {
                    versions.version(v.tenant(), v.dataset(), v.version()).ifPresent(policies::onNewVersion);
                }
            } else if (event instanceof DatasetVersionDeleted d) {
                versions.markDeleted(d);
                jobs.failWaitingOn(d.tenant(), d.dataset(), d.version(), KnownVersions.deleted(d.dataset(), d.version()));
            }
        }));
    }

    /** Splits outside the dataset's own prefix are another tenant's data (or nobody's): never trained on. */
    private void requireOwnPrefix(DatasetVersionReady v) {
        DatasetVersionReady.HashObjects h = v.contentHashes();
        if (v.uris() == null || !S3Uri.under(v.uris().train(), datasetsBucket, v.tenant(), v.dataset())
                || !S3Uri.under(v.uris().validation(), datasetsBucket, v.tenant(), v.dataset())
                || h != null && (!S3Uri.under(h.trainUri(), datasetsBucket, v.tenant(), v.dataset())
                        || !S3Uri.under(h.validationUri(), datasetsBucket, v.tenant(), v.dataset()))) {
            throw new IllegalArgumentException("dataset version " + v.tenant() + "/" + v.dataset() + " v" + v.version()
                    + " names splits outside its own s3://" + datasetsBucket + "/" + v.tenant() + "/" + v.dataset() + "/");
        }
    }
}
