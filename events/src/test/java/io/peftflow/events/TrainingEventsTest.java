package io.peftflow.events;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.peftflow.events.training.CheckpointSaved;
import io.peftflow.events.training.DatasetRef;
import io.peftflow.events.training.JobCancelled;
import io.peftflow.events.training.JobFailed;
import io.peftflow.events.training.JobProgress;
import io.peftflow.events.training.JobQueued;
import io.peftflow.events.training.JobStarted;
import io.peftflow.events.training.JobSucceeded;
import io.peftflow.events.training.RunMetrics;
import io.peftflow.events.training.TrainingJobEvent;
import io.peftflow.events.training.TrainingRequested;
import io.peftflow.events.training.TrainingSettings;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TrainingEventsTest {
    private static final OffsetDateTime T = OffsetDateTime.of(2026, 12, 2, 9, 0, 0, 0, ZoneOffset.UTC);
    private static final TrainingRequested.MethodSpec LORA = new TrainingRequested.MethodSpec("lora",
            JsonNodeFactory.instance.objectNode().put("r", 8).put("lora_alpha", 16));
    private static final DatasetRef DATA = new DatasetRef("tx", 3, "aa", "bb");

    @Test
    void everyJobEventRoundTripsAsItsOwnRecord() {
        JobSucceeded.StoredFile config = new JobSucceeded.StoredFile("adapter_config.json",
                "s3://peftflow-checkpoints/acme/j1/adapter/adapter_config.json", "cc", 512);
        List<TrainingJobEvent> events = List.of(
                new JobQueued("j1", "acme", "tx-lora", DATA, "tiny-llama", "lora", TrainingRequested.ORIGIN_POLICY, T),
                new JobStarted("j1", "acme", "worker-1", 2, 40, "gpu(0)", T),
                new JobProgress("j1", "acme", 41, 150, 0, 1.25, 1e-3, 12_000, 30),
                new CheckpointSaved("j1", "acme", 50, "s3://peftflow-checkpoints/acme/j1/step-50/"),
                new JobSucceeded("j1", "acme", "tx-lora", List.of(config), config, config,
                        new RunMetrics(new RunMetrics.EvalMetrics(20.5, 8e8, 0, 0.0, 0.0),
                                new RunMetrics.EvalMetrics(0.5, 1.6, 0.9, 0.8, 0.7),
                                new RunMetrics.Baseline("groceries", 0.52, 0.125, 8)),
                        new JobSucceeded.Lineage(DATA, new JobSucceeded.BaseModel("tiny-llama", "dd"), LORA,
                                new TrainingSettings(150, null, 16, 1e-2, 10, 50, 50), 42,
                                new JobSucceeded.Libraries("0.1.0", "0.33.0", "2.5.1"), null),
                        24_576, 150, T, 98_304L),
                new JobFailed("j1", "acme", JobFailed.Kind.USER_ERROR, "train.jsonl line 3: no label", 0, T),
                new JobCancelled("j1", "acme", 50, T));
        for (TrainingJobEvent e : events) {
            CloudEvent envelope = EventCodec.decode(EventCodec.encode(e.toCloudEvent("/trainer-service", 1)));
            assertEquals(e.type(), envelope.type());
            assertEquals("fine-tuning/jobs/acme/j1", envelope.subject());
            assertEquals(e, TrainingJobEvent.from(envelope));
            assertFalse(envelope.data().has("type") || envelope.data().has("key"), "no derived fields in the JSON");
        }
        assertEquals("acme/j1", events.get(0).key());
    }

    @Test
    void idsAreStablePerFactAndDistinctAcrossFacts() {
        JobProgress p = new JobProgress("j1", "acme", 41, 150, 0, 1.25, 1e-3, 12_000, 30);
        assertEquals(p.toCloudEvent("/t", 41).id(), p.toCloudEvent("/t", 41).id());
        assertNotEquals(p.toCloudEvent("/t", 41).id(), p.toCloudEvent("/t", 42).id());
        JobCancelled c = new JobCancelled("j1", "acme", 50, T);
        assertNotEquals(c.toCloudEvent("/t").id(), new JobCancelled("j2", "acme", 50, T).toCloudEvent("/t").id());
    }

    @Test
    void requestRoundTripsAndAnUnknownTypeIsRejected() {
        TrainingRequested r = new TrainingRequested("key-1", "acme", TrainingRequested.ORIGIN_API, "tx-lora",
                DatasetRef.of("tx", 0), "tiny-llama", LORA, new TrainingSettings(150, null, 16, null, null, null, null),
                42, T);
        CloudEvent e = EventCodec.wrap("/trainer-service", EventTypes.TRAINING_REQUESTED, "fine-tuning/requests/key-1", r)
                .withId(TrainingRequested.eventId("acme", "key-1"));
        assertEquals(r, EventCodec.payload(EventCodec.decode(EventCodec.encode(e)), TrainingRequested.class));
        assertThrows(IllegalArgumentException.class, () -> TrainingJobEvent.from(e));
    }
}
