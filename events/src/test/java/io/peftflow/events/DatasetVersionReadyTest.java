package io.peftflow.events;

import io.peftflow.events.dataset.DatasetVersionDeleted;
import io.peftflow.events.dataset.DatasetVersionReady;
import io.peftflow.events.dataset.VersionCounts;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class DatasetVersionReadyTest {

    @Test
    void payloadRoundTripsAndItsIdIsStablePerVersion() {
        String prefix = "s3://peftflow-datasets/acme/tx/v3/";
        DatasetVersionReady ready = new DatasetVersionReady("acme", "tx", 3, 41, "chat", "class_weights", 7, 0.1, null,
                new DatasetVersionReady.VersionObjects(prefix + "raw.jsonl", prefix + "train.jsonl",
                        prefix + "validation.jsonl", prefix + "report.json"),
                new DatasetVersionReady.VersionObjects("aa", "ab", "ac", "ad"),
                new VersionCounts(10, 10, 0, 0, 0, 9, 1),
                Map.of("food", new DatasetVersionReady.LabelCounts(9, 1)), Map.of("food", 1.0), "characters",
                new DatasetVersionReady.Lengths(3, 12, 7.5, 7, 12),
                OffsetDateTime.of(2026, 11, 28, 18, 0, 0, 0, ZoneOffset.UTC));
        CloudEvent event = EventCodec.wrap("/dataset-service", EventTypes.DATASET_VERSION_READY, "datasets/acme/tx/3", ready)
                .withId(DatasetVersionReady.eventId("acme", "tx", 3));
        String json = EventCodec.encode(event);
        CloudEvent decoded = EventCodec.decode(json);
        assertEquals(ready, EventCodec.payload(decoded, DatasetVersionReady.class));
        assertEquals(DatasetVersionReady.eventId("acme", "tx", 3), decoded.id());
        assertEquals(36, decoded.id().length());
        assertNotEquals(DatasetVersionReady.eventId("acme", "tx", 4), decoded.id());
        assertEquals(prefix + "train.jsonl", decoded.data().path("uris").path("train").asText());
        assertEquals(9, decoded.data().path("labels").path("food").path("train").asLong());
    }

    @Test
    void deletionRoundTripsWithItsOwnStableId() {
        DatasetVersionDeleted deleted = new DatasetVersionDeleted("acme", "tx", 3, 41,
                OffsetDateTime.of(2026, 11, 29, 9, 0, 0, 0, ZoneOffset.UTC));
        CloudEvent event = EventCodec.wrap("/dataset-service", EventTypes.DATASET_VERSION_DELETED, "datasets/acme/tx/3", deleted)
                .withId(DatasetVersionDeleted.eventId("acme", "tx", 3));
        CloudEvent decoded = EventCodec.decode(EventCodec.encode(event));
        assertEquals(deleted, EventCodec.payload(decoded, DatasetVersionDeleted.class));
        assertEquals(DatasetVersionDeleted.eventId("acme", "tx", 3), decoded.id());
        assertNotEquals(DatasetVersionReady.eventId("acme", "tx", 3), decoded.id());
    }
}
