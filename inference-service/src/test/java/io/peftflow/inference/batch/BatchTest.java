package io.peftflow.inference.batch;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A batch's allowed moves, the times they stamp, its counts; the ids of its result lines. */
class BatchTest {
    private static final String ID = "batch_0123456789abcdef01234567";

    private static Batch created() {
        return Batch.created(ID, "acme", "file-batchinput-0123456789abcdef01234567", "/v1/classify", "24h", Map.of(),
                1000, 86400);
    }

    @Test
    void aBatchRunsThroughItsStatusesStampingEach() {
        Batch b = created().started(40, 1001).progressed(32, 31, 1).progressed(8, 8, 0);
        assertEquals(BatchStatus.IN_PROGRESS, b.status());
        assertEquals(new Batch.Counts(40, 39, 1), b.counts());
        assertEquals(40, b.nextLine());
        b = b.moveTo(BatchStatus.FINALIZING, 1002).moveTo(BatchStatus.COMPLETED, 1003);
        assertEquals(new Batch.Times(1000, 87400, 1001L, 1002L, 1003L, null, null, null, null), b.times());
        assertTrue(b.status().terminal());
    }

    @Test
    void onlyTheAllowedMovesAreMade() {
        Batch completed = created().started(1, 1).moveTo(BatchStatus.FINALIZING, 2).moveTo(BatchStatus.COMPLETED, 3);
        assertThrows(IllegalStateException.class, () -> completed.moveTo(BatchStatus.CANCELLING, 4));
        Batch cancelling = created().moveTo(BatchStatus.CANCELLING, 2);
        assertThrows(IllegalStateException.class, () -> cancelling.moveTo(BatchStatus.IN_PROGRESS, 3));
        assertThrows(IllegalStateException.class, () -> cancelling.failed(new Batch.Failure("x", "y", null, null), 3));
        assertEquals(BatchStatus.CANCELLED, cancelling.moveTo(BatchStatus.CANCELLED, 3).status());
        Batch failed = created().failed(new Batch.Failure("server_error", "gone", null, 1L), 5);
        assertEquals(5L, failed.times().failedAt());
        assertEquals("gone", failed.errors().get(0).message());
    }

    @Test
    void resultLinesNameTheBatchAndTheOneBasedLine() {
        ResultLine line = ResultLine.of(ID, 0, "tx-1", 200, Map.of());
        assertEquals("batch_req_0123456789abcdef01234567-1", line.id());
        assertEquals("req_0123456789abcdef01234567-1", line.response().requestId());
        assertNull(line.error());
    }
}
