package io.peftflow.events;

import io.peftflow.events.contract.InvalidValue;
import io.peftflow.events.training.DatasetRef;
import io.peftflow.events.training.EvaluationRequested;
import io.peftflow.events.training.EvaluationSet;
import io.peftflow.events.training.EvaluationSucceeded;
import io.peftflow.events.training.JobIds;
import io.peftflow.events.training.RunMetrics;
import io.peftflow.events.training.TrainingJobEvent;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The evaluation request and its answer: round trips, the per-example outcomes' encoding, and their bounds. */
class EvaluationEventsTest {
    private static final OffsetDateTime T = OffsetDateTime.of(2026, 12, 5, 9, 0, 0, 0, ZoneOffset.UTC);

    @Test
    void requestRoundTripsAndRefusesDuplicateOrTooManyCandidates() {
        EvaluationRequested r = new EvaluationRequested("eval-1", "acme", "tx-lora", "tiny-llama", DatasetRef.of("tx", 2),
                List.of(new EvaluationRequested.Candidate(1, "ftjob-a"), new EvaluationRequested.Candidate(2, "ftjob-b")), T);
        CloudEvent e = EventCodec.wrap("/registry-service", EventTypes.TRAINING_EVALUATION_REQUESTED, "adapters/acme/tx-lora", r)
                .withId(EvaluationRequested.eventId("acme", "eval-1"));
        EvaluationRequested back = EventCodec.payload(EventCodec.decode(EventCodec.encode(e)), EvaluationRequested.class);
        assertEquals(r, back);
        back.validate();
        assertEquals("candidates.version", assertThrows(InvalidValue.class, () -> new EvaluationRequested("eval-1", "acme",
                "tx-lora", "tiny-llama", DatasetRef.of("tx", 2), List.of(new EvaluationRequested.Candidate(1, "a"),
                new EvaluationRequested.Candidate(1, "b")), T).validate()).field());
        assertEquals("candidates", assertThrows(InvalidValue.class, () -> new EvaluationRequested("eval-1", "acme",
                "tx-lora", "tiny-llama", DatasetRef.of("tx", 2), List.of(), T).validate()).field());
        assertEquals(JobIds.of("acme", "eval-1"), JobIds.of("acme", "eval-1"));
    }

    @Test
    void perExampleOutcomesRoundTripAtTheBound() {
        Random random = new Random(7);
        boolean[] hits = new boolean[EvaluationSucceeded.MAX_EXAMPLES];
        for (int i = 0; i < hits.length; i++) {
            hits[i] = random.nextBoolean();
        }
        hits[hits.length - 1] = false; // a trailing miss must survive (BitSet drops trailing zero bytes)
        EvaluationSucceeded s = new EvaluationSucceeded("ftjob-x", "acme", "eval-1", "tx-lora",
                new EvaluationSet("tx", 2, EvaluationSet.VALIDATION, "ab".repeat(32), hits.length),
                List.of(new EvaluationSucceeded.Score(2, new RunMetrics.EvalMetrics(0.5, 1.6, 0.9, 0.8, 0.7),
                        EvaluationSucceeded.Score.encode(hits))),
                new RunMetrics.Baseline("groceries", 0.5, 0.1, 10), T);
        s.validate();
        CloudEvent envelope = EventCodec.decode(EventCodec.encode(s.toCloudEvent("/trainer-service")));
        EvaluationSucceeded back = (EvaluationSucceeded) TrainingJobEvent.from(envelope);
        assertEquals(s, back);
        assertArrayEquals(hits, back.score(2).orElseThrow().hits(hits.length));
        assertEquals("set", assertThrows(InvalidValue.class, () -> new EvaluationSucceeded("ftjob-x", "acme", "eval-1",
                "tx-lora", new EvaluationSet("tx", 2, EvaluationSet.VALIDATION, "ab", EvaluationSucceeded.MAX_EXAMPLES + 1),
                s.scores(), null, T).validate()).field());
    }
}
