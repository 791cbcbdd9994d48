package io.peftflow.events;

import io.peftflow.events.dataset.DatasetVersionReady;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class DatasetVersionReadyTest {

    @Test
    void payloadRoundTripsAndItsIdIsStablePerVersion() {
        DatasetVersionReady ready = new DatasetVersionReady("acme", "tx", 3, 41, "chat", "class_weights", 7, 0.1, null,
                Map.of("train", "s3://peftflow-datasets/acme/tx/v3/train.jsonl"), Map.of("train", "ab"),
                Map.of("train", 9L), Map.of("food", Map.of("train", 9L, "validation", 1L)), Map.of("food", 1.0),
                "characters", Map.of("max", 12.0), OffsetDateTime.of(2026, 11, 28, 18, 0, 0, 0, ZoneOffset.UTC));
        CloudEvent event = EventCodec.wrap("/dataset-service", EventTypes.DATASET_VERSION_READY, "datasets/acme/tx/3", ready)
                .withId(DatasetVersionReady.eventId("acme", "tx", 3));
        CloudEvent decoded = EventCodec.decode(EventCodec.encode(event));
        assertEquals(ready, EventCodec.payload(decoded, DatasetVersionReady.class));
        assertEquals(DatasetVersionReady.eventId("acme", "tx", 3), decoded.id());
        assertEquals(36, decoded.id().length());
        assertNotEquals(DatasetVersionReady.eventId("acme", "tx", 4), decoded.id());
    }
}
