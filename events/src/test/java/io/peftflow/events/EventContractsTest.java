package io.peftflow.events;

import io.peftflow.events.adapter.AdapterEvent;
import io.peftflow.events.adapter.AdapterPromoted;
import io.peftflow.events.adapter.AdapterRegistrationFailed;
import io.peftflow.events.adapter.AdapterVersionArchived;
import io.peftflow.events.adapter.AdapterVersionRegistered;
import io.peftflow.events.contract.Validated;
import io.peftflow.events.dataset.DatasetVersionDeleted;
import io.peftflow.events.dataset.DatasetVersionReady;
import io.peftflow.events.training.EvaluationRequested;
import io.peftflow.events.training.EvaluationSucceeded;
import io.peftflow.events.training.JobFailed;
import io.peftflow.events.training.JobSucceeded;
import io.peftflow.events.training.TrainingJobEvent;
import io.peftflow.events.training.TrainingRequested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract of every event type: who consumes it (or, when nobody in the platform does, which outside reader it
 * is for), and that the previous release's events — kept as fixtures under {@code contracts/previous/} — are still
 * read and accepted by this release's consumers (a rolling upgrade mixes versions). That what the real producers
 * build is accepted is checked where each producer runs: dataset-service's {@code VersionEventTest},
 * trainer-service's {@code PolicyRetrainingTest}, registry-service's {@code RegistrationTest} validate the events
 * they read back from Kafka.
 */
class EventContractsTest {
    /** Payload record, consumers in the platform, and the reader outside it when there is no consumer. */
    record Contract(Class<?> payload, List<String> consumers, String outsideReader) {
    }

    private static final Map<String, Contract> CONTRACTS = new HashMap<>();

    static {
        CONTRACTS.put(EventTypes.PING, new Contract(null, List.of(),
                "the services' own readiness and smoke tests (the outbox round trip)"));
        CONTRACTS.put(EventTypes.DATASET_VERSION_READY, new Contract(DatasetVersionReady.class,
                List.of("trainer-service", "registry-service"), null));
        CONTRACTS.put(EventTypes.DATASET_VERSION_DELETED, new Contract(DatasetVersionDeleted.class,
                List.of("trainer-service", "registry-service"), null));
        CONTRACTS.put(EventTypes.TRAINING_REQUESTED, new Contract(TrainingRequested.class,
                List.of("trainer-service"), null));
        CONTRACTS.put(EventTypes.TRAINING_EVALUATION_REQUESTED, new Contract(EvaluationRequested.class,
                List.of("trainer-service"), null));
        CONTRACTS.put(EventTypes.TRAINING_EVALUATION_SUCCEEDED, new Contract(EvaluationSucceeded.class,
                List.of("registry-service"), null));
        // registry-service reads the failures of the evaluation jobs it requested.
        CONTRACTS.put(EventTypes.TRAINING_JOB_FAILED, new Contract(JobFailed.class, List.of("registry-service"), null));
        for (String type : List.of(EventTypes.TRAINING_JOB_QUEUED, EventTypes.TRAINING_JOB_STARTED,
                EventTypes.TRAINING_PROGRESS, EventTypes.TRAINING_CHECKPOINT_SAVED,
                EventTypes.TRAINING_JOB_CANCELLED)) {
            CONTRACTS.put(type, new Contract(TrainingJobEvent.TYPES.get(type), List.of(),
                    "dashboards and audit (the job's own log is trainer-service's job_event table)"));
        }
        CONTRACTS.put(EventTypes.TRAINING_JOB_SUCCEEDED, new Contract(JobSucceeded.class,
                List.of("registry-service"), null));
        CONTRACTS.put(EventTypes.ADAPTER_VERSION_REGISTERED, new Contract(AdapterVersionRegistered.class,
                List.of("trainer-service"), null));
        CONTRACTS.put(EventTypes.ADAPTER_REGISTRATION_FAILED, new Contract(AdapterRegistrationFailed.class,
                List.of("trainer-service"), null));
        CONTRACTS.put(EventTypes.ADAPTER_PROMOTED, new Contract(AdapterPromoted.class, List.of(),
                "deployment automation: inference-service reloads its champion"));
        // trainer-service refuses archived versions as init_from and stack_on; inference-service stops serving them.
        CONTRACTS.put(EventTypes.ADAPTER_VERSION_ARCHIVED, new Contract(AdapterVersionArchived.class,
                List.of("trainer-service", "inference-service"), null));
    }

    @Test
    void everyTypeIsConsumedOrNamesItsOutsideReader() throws IllegalAccessException {
        Set<String> types = new TreeSet<>();
        for (Field f : EventTypes.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                types.add((String) f.get(null));
            }
        }
        assertEquals(types, new TreeSet<>(CONTRACTS.keySet()), "a contract for every event type");
        CONTRACTS.forEach((type, c) -> assertTrue(!c.consumers().isEmpty() || c.outsideReader() != null,
                type + " has no consumer and names no outside reader"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dataset.version-ready", "dataset.version-deleted", "training.requested",
            "training.job-succeeded", "training.job-failed", "adapter.version-registered",
            "adapter.registration-failed", "adapter.promoted"})
    void thePreviousReleasesEventsAreReadAndAccepted(String name) throws IOException {
        CloudEvent event = EventCodec.decode(fixture(name));
        assertEquals("io.peftflow." + name + ".v1", event.type());
        Contract contract = CONTRACTS.get(event.type());
        Object payload = EventCodec.payload(event, contract.payload());
        if (payload instanceof Validated v) {
            v.validate();
        }
        // The families' own readers accept them too.
        if (TrainingJobEvent.TYPES.containsKey(event.type())) {
            assertEquals(payload, TrainingJobEvent.from(event));
        }
        if (AdapterEvent.TYPES.containsKey(event.type())) {
            assertEquals(payload, AdapterEvent.from(event));
        }
    }

    /** A field this release added reads as absent from the previous release's event. */
    @Test
    void fieldsAddedSinceReadAsAbsent() throws IOException {
        JobSucceeded job = EventCodec.payload(EventCodec.decode(fixture("training.job-succeeded")), JobSucceeded.class);
        assertNotNull(job.lineage());
        assertNull(job.lineage().datasetDeletedAt());
        assertEquals(List.of(), job.lineage().stackedOn(), "trained on the bare base model");
        assertFalse(job.adapterFiles().isEmpty());
        DatasetVersionReady ready = EventCodec.payload(EventCodec.decode(fixture("dataset.version-ready")),
                DatasetVersionReady.class);
        assertNull(ready.contentHashes(), "a version stored before content hashes: counted by example count");
        ready.validate();
    }

    private static String fixture(String name) throws IOException {
        try (InputStream in = EventContractsTest.class.getResourceAsStream("/contracts/previous/" + name + ".json")) {
            assertNotNull(in, "fixture " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
