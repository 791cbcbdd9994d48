package io.peftflow.events.dataset;

import io.peftflow.events.EventIds;
import io.peftflow.events.contract.ResourceName;
import io.peftflow.events.contract.Tenant;
import io.peftflow.events.contract.Validated;

import java.time.OffsetDateTime;

/**
 * Payload of {@link io.peftflow.events.EventTypes#DATASET_VERSION_DELETED}: a version was soft-deleted. Its
 * metadata stays (adapters trained on it keep their lineage), its splits are no longer served: consumers stop
 * scheduling training on it. Same topic and key as the version's ready event, so it arrives after it.
 *
 * @param versionId the version's database id, as in {@link DatasetVersionReady#versionId()}
 */
public record DatasetVersionDeleted(String tenant, String dataset, int version, long versionId, OffsetDateTime deletedAt)
        implements Validated {

    @Override
    public void validate() {
        Tenant.check("tenant", tenant);
        ResourceName.check("dataset", dataset);
    }

    /** The CloudEvent id: the same for every redelivery of this deletion. */
    public static String eventId(String tenant, String dataset, int version) {
        return EventIds.of("dataset-version-deleted", tenant, dataset, "v" + version);
    }
}
