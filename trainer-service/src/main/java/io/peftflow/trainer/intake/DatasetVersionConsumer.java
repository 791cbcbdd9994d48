package io.peftflow.trainer.intake;

import io.peftflow.events.CloudEvent;
import io.peftflow.events.EventCodec;
import io.peftflow.events.EventTypes;
import io.peftflow.events.dataset.DatasetVersionReady;
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
 * announcement finds its version recorded and does nothing. Failures: {@link IntakeTransactions}.
 */
@ApplicationScoped
public class DatasetVersionConsumer {
    private final KnownVersions versions;
    private final PolicyService policies;
    private final IntakeTransactions intake;

    public DatasetVersionConsumer(KnownVersions versions, PolicyService policies, IntakeTransactions intake) {
        this.versions = versions;
        this.policies = policies;
        this.intake = intake;
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
        if (versions.recordIfNew(v)) {
            versions.version(v.tenant(), v.dataset(), v.version()).ifPresent(policies::onNewVersion);
        }
    }
}
