package io.peftflow.events;

import io.peftflow.events.adapter.AdapterEvent;
import io.peftflow.events.adapter.AdapterPromoted;
import io.peftflow.events.adapter.AdapterRegistrationFailed;
import io.peftflow.events.adapter.AdapterVersionArchived;
import io.peftflow.events.adapter.AdapterVersionRegistered;
import io.peftflow.events.training.DatasetRef;
import io.peftflow.events.training.JobSucceeded;
import io.peftflow.events.training.RunMetrics;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AdapterEventsTest {
    private static final OffsetDateTime T = OffsetDateTime.of(2026, 12, 2, 9, 0, 0, 0, ZoneOffset.UTC);

    @Test
    void everyAdapterEventRoundTripsWithAStableId() {
        List<AdapterEvent> events = List.of(
                new AdapterVersionRegistered("acme", "tx-lora", 2, "j1", "lora", "tiny-llama",
                        new DatasetRef("tx", 3, "aa", "bb"),
                        new RunMetrics(new RunMetrics.EvalMetrics(20.5, 8e8, 0, 0.0, 0.0),
                                new RunMetrics.EvalMetrics(0.5, 1.6, 0.9, 0.8, 0.7),
                                new RunMetrics.Baseline("groceries", 0.52, 0.125, 8)),
                        List.of(new JobSucceeded.StoredFile("adapter_config.json",
                                "s3://peftflow-adapters/acme/tx-lora/v2/adapter_config.json", "cc", 512)),
                        "champion", "first version beating the majority baseline", T),
                new AdapterPromoted("acme", "tx-lora", 7, 1, 2, "exact_match", 0.7, 0.8, false, "better by 0.1", T),
                new AdapterRegistrationFailed("acme", "tx-lora", 3, "j2", "shape mismatch", T),
                new AdapterVersionArchived("acme", "tx-lora", 1, T));
        for (AdapterEvent e : events) {
            CloudEvent envelope = EventCodec.decode(EventCodec.encode(e.toCloudEvent("/registry-service")));
            assertEquals(e.type(), envelope.type());
            assertEquals("adapters/acme/tx-lora", envelope.subject());
            assertEquals(e, AdapterEvent.from(envelope));
            assertEquals(envelope.id(), e.toCloudEvent("/registry-service").id());
            assertFalse(envelope.data().has("discriminator") || envelope.data().has("key"));
        }
        assertNotEquals(events.get(0).toCloudEvent("/r").id(), events.get(2).toCloudEvent("/r").id());
        assertThrows(IllegalArgumentException.class, () -> AdapterEvent.from(
                EventCodec.wrap("/t", EventTypes.PING, "x", java.util.Map.of())));
    }
}
