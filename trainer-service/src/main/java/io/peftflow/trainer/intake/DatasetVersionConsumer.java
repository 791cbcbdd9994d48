package io.peftflow.trainer.intake;

import io.peftflow.events.CloudEvent;
import io.peftflow.events.EventCodec;
import io.peftflow.events.EventTypes;
import io.peftflow.events.dataset.DatasetVersionReady;
import io.peftflow.trainer.datasets.KnownVersions;
import io.peftflow.trainer.policies.PolicyService;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * {@code peftflow.dataset-versions}: records each announced version (what requests are validated against) and, under
 * a retraining policy, inserts its job — one short transaction, then the record is acknowledged. A redelivered
 * announcement finds its version recorded and does nothing.
 */
@ApplicationScoped
public class DatasetVersionConsumer {
    private static final Logger LOG = Logger.getLogger(DatasetVersionConsumer.class);

    private final KnownVersions versions;
    private final PolicyService policies;

    public DatasetVersionConsumer(KnownVersions versions, PolicyService policies) {
        this.versions = versions;
        this.policies = policies;
    }

    @Incoming("dataset-versions")
    @Blocking
    @Transactional
    public void onVersion(String record) {
        DatasetVersionReady v;
        try {
            CloudEvent event = EventCodec.decode(record);
            if (!EventTypes.DATASET_VERSION_READY.equals(event.type())) {
                return;
            }
            v = EventCodec.payload(event, DatasetVersionReady.class);
        } catch (IllegalArgumentException e) {
            // A record no consumer can read must not stop the ones behind it.
            LOG.errorf("skipping an unreadable record on dataset-versions: %s", e.getMessage());
            return;
        }
        if (v.uris() == null || v.sha256() == null || v.counts() == null) {
            LOG.errorf("skipping dataset version %s/%s v%d: its announcement lacks uris, sha256 or counts", v.tenant(),
                    v.dataset(), v.version());
            return;
        }
        if (versions.recordIfNew(v)) {
            versions.version(v.tenant(), v.dataset(), v.version()).ifPresent(policies::onNewVersion);
        }
    }
}
