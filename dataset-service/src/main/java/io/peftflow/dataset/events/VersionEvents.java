package io.peftflow.dataset.events;

import io.peftflow.dataset.catalog.DatasetVersion;
import io.peftflow.dataset.catalog.VersionDeleted;
import io.peftflow.dataset.storage.DatasetObjects;
import io.peftflow.dataset.storage.VersionKeys;
import io.peftflow.dataset.validation.ValidatedUpload;
import io.peftflow.events.CloudEvent;
import io.peftflow.events.EventCodec;
import io.peftflow.events.EventTypes;
import io.peftflow.events.Topics;
import io.peftflow.events.dataset.DatasetVersionDeleted;
import io.peftflow.events.dataset.DatasetVersionReady;
import io.peftflow.kit.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Announces a version's lifecycle through the outbox, each in the transaction that makes the change: ready
 * (called by the upload workflow) and soft-deleted (observed from the catalog, which must not import this
 * package). Key {@code <tenant>/<name>}, so a version's events keep their order.
 */
@ApplicationScoped
public class VersionEvents {
    static final String SOURCE = "/dataset-service";

    private final Outbox outbox;
    private final DatasetObjects objects;

    public VersionEvents(Outbox outbox, DatasetObjects objects) {
        this.outbox = outbox;
        this.objects = objects;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public CloudEvent ready(DatasetVersion version, VersionKeys keys, ValidatedUpload upload) {
        String tenant = version.dataset.tenant;
        String name = version.dataset.name;
        Map<String, DatasetVersionReady.LabelCounts> labels = new LinkedHashMap<>();
        upload.labels().forEach((label, split) -> labels.put(label,
                new DatasetVersionReady.LabelCounts(split.train(), split.validation())));
        DatasetVersionReady payload = new DatasetVersionReady(tenant, name, version.version, version.id,
                version.format, version.balance, version.seed, version.dataset.validationFraction, version.baseModel,
                objects(objects.uris(keys)), objects(version.sha256()), upload.counts(), labels,
                upload.classWeights(), upload.lengthUnit(), lengths(upload.lengths()), version.createdAt);
        CloudEvent event = EventCodec.wrap(SOURCE, EventTypes.DATASET_VERSION_READY,
                "datasets/" + tenant + "/" + name + "/" + version.version, payload)
                .withId(DatasetVersionReady.eventId(tenant, name, version.version));
        outbox.enqueue(Topics.DATASET_VERSIONS, tenant + "/" + name, event);
        return event;
    }

    /** Runs inside {@link io.peftflow.dataset.catalog.DatasetService#delete}'s transaction. */
    void deleted(@Observes VersionDeleted deleted) {
        DatasetVersion version = deleted.version();
        String tenant = version.dataset.tenant;
        String name = version.dataset.name;
        DatasetVersionDeleted payload = new DatasetVersionDeleted(tenant, name, version.version, version.id,
                version.deletedAt);
        CloudEvent event = EventCodec.wrap(SOURCE, EventTypes.DATASET_VERSION_DELETED,
                "datasets/" + tenant + "/" + name + "/" + version.version, payload)
                .withId(DatasetVersionDeleted.eventId(tenant, name, version.version));
        outbox.enqueue(Topics.DATASET_VERSIONS, tenant + "/" + name, event);
    }

    private static DatasetVersionReady.VersionObjects objects(Map<String, String> byName) {
        return new DatasetVersionReady.VersionObjects(byName.get("raw"), byName.get("train"), byName.get("validation"),
                byName.get("report"));
    }

    /** Null when no example was counted (the statistics are then undefined). */
    private static DatasetVersionReady.Lengths lengths(Map<String, Double> l) {
        return l.isEmpty() ? null : new DatasetVersionReady.Lengths(l.get("min"), l.get("max"), l.get("mean"),
                l.get("p50"), l.get("p95"));
    }
}
