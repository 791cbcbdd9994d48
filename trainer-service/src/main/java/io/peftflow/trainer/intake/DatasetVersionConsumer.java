package io.peftflow.trainer.intake;

import io.peftflow.events.CloudEvent;
import io.peftflow.events.EventCodec;
import io.peftflow.events.EventTypes;
import io.peftflow.events.contract.S3Uri;
import io.peftflow.events.dataset.DatasetVersionReady;
import io.peftflow.trainer.TrainerConfig;
import io.peftflow.trainer.datasets.KnownVersions;
import io.peftflow.trainer.policies.PolicyService;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/**
 * {@code peftflow.dataset-versions}: records each announced version (what requests are validated against) and, under
 * a retraining policy, inserts its job — one short transaction, then the record is acknowledged. A redelivered
 * announcement finds its version recorded and does nothing. An announcement whose splits lie outside the dataset's
 * own {@code <tenant>/<dataset>/} prefix is refused (dead-lettered). Failures: {@link IntakeTransactions}.
 */
@ApplicationScoped
public class DatasetVersionConsumer {
    private final KnownVersions versions;
    private final PolicyService policies;
    private final IntakeTransactions intake;
    private final String datasetsBucket;

    public DatasetVersionConsumer(KnownVersions versions, PolicyService policies, IntakeTransactions intake,
                                  TrainerConfig config) {
        this.versions = versions;
        this.policies = policies;
        this.intake = intake;
        this.datasetsBucket = config.datasetsBucket();
    }

    @Incoming("dataset-versions")
    @Blocking
    public CompletionStage<Void> onVersion(Message<String> record) {
        return intake.process(record, "dataset-versions", this::record);
    }

    private void record(String value) {
        CloudEvent event = EventCodec.decode(value);
        if (!EventTypes.DATASET_VERSION_READY.equals(event.type())) {
            return;
        }
        DatasetVersionReady v = EventCodec.payload(event, DatasetVersionReady.class);
        if (v.uris() == null || v.sha256() == null || v.counts() == null) {
            throw new IllegalArgumentException("dataset version " + v.tenant() + "/" + v.dataset() + " v" + v.version()
                    + ": its announcement lacks uris, sha256 or counts");
        }
        // Splits outside the dataset's own prefix are another tenant's data (or nobody's): never trained on.
        if (!S3Uri.under(v.uris().train(), datasetsBucket, v.tenant(), v.dataset())
                || !S3Uri.under(v.uris().validation(), datasetsBucket, v.tenant(), v.dataset())) {
            throw new IllegalArgumentException("dataset version " + v.tenant() + "/" + v.dataset() + " v" + v.version()
                    + " names splits outside its own s3://" + datasetsBucket + "/" + v.tenant() + "/" + v.dataset() + "/");
        }
        if (versions.recordIfNew(v)) {
            versions.version(v.tenant(), v.dataset(), v.version()).ifPresent(policies::onNewVersion);
        }
    }
}
