package io.peftflow.dataset.upload;

import io.peftflow.dataset.catalog.DatasetVersion;
import io.peftflow.dataset.catalog.VersionRepository;
import io.peftflow.dataset.catalog.VersionStatus;
import io.peftflow.dataset.storage.DatasetObjects;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * Cleans up after uploads whose service died between taking a version number and making it ready (an
 * in-process failure cleans up at once): their objects are deleted and the row marked FAILED, never shown.
 */
@ApplicationScoped
public class StaleUploadSweeper {
    private static final Logger LOG = Logger.getLogger(StaleUploadSweeper.class);

    private final VersionRepository versions;
    private final DatasetObjects objects;
    private final Duration staleAfter;

    public StaleUploadSweeper(VersionRepository versions, DatasetObjects objects,
                              @ConfigProperty(name = "peftflow.dataset.stale-upload-after", defaultValue = "6h") Duration staleAfter) {
        this.versions = versions;
        this.objects = objects;
        this.staleAfter = staleAfter;
    }

    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void sweep() {
        for (DatasetVersion v : versions.staleProcessing(OffsetDateTime.now().minus(staleAfter))) {
            LOG.warnf("version %d of %s/%s was left processing since %s; deleting its objects", v.version,
                    v.dataset.tenant, v.dataset.name, v.createdAt);
            objects.deleteQuietly(v.keys());
            v.status = VersionStatus.FAILED;
        }
    }
}
