package io.peftflow.events.contract;

import io.peftflow.events.training.DatasetRef;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FileIdTest {

    @Test
    void idsNameWhatTheyAreAndTheServiceThatOwnsIt() {
        FileId upload = new FileId.DatasetVersion("card-tx-v2", 3);
        assertEquals("file-ds-card-tx-v2-v3", upload.value());
        assertEquals(Optional.of(upload), FileId.parse(upload.value()));
        assertEquals("datasets", upload.ownerApi());
        FileId result = new FileId.JobResult("ftjob-0123456789abcdef01234567");
        assertEquals("file-ftjob-0123456789abcdef01234567", result.value());
        assertEquals(Optional.of(result), FileId.parse(result.value()));
        assertEquals("fine-tuning", result.ownerApi());
        FileId input = new FileId.BatchInput("0123456789abcdef01234567");
        assertEquals("file-batchinput-0123456789abcdef01234567", input.value());
        assertEquals(Optional.of(input), FileId.parse(input.value()));
        assertEquals("datasets", input.ownerApi());
        FileId errors = new FileId.BatchResult("batch_0123456789abcdef01234567", FileId.BatchResult.Kind.ERRORS);
        assertEquals("file-batch_0123456789abcdef01234567-errors", errors.value());
        assertEquals(Optional.of(errors), FileId.parse(errors.value()));
        assertEquals("batches", errors.ownerApi());
        for (String notAnId : new String[] {null, "", "file-", "file-ds-x", "file-ds-x-v0", "file-ds-X-v1",
                "file-ftjob-nothex", "file-abc123", "ds-x-v1", "file-batchinput-0123", "file-batch_0123456789abcdef01234567",
                "file-batch_0123456789abcdef01234567-input"}) {
            assertEquals(Optional.empty(), FileId.parse(notAnId), notAnId);
        }
    }

    @Test
    void filesPathsGoToTheOwnerOfTheirId() {
        assertEquals("datasets", FileId.ownerApiOfPath("/files"));
        assertEquals("datasets", FileId.ownerApiOfPath("/files/file-ds-tx-v1/content"));
        assertEquals("fine-tuning", FileId.ownerApiOfPath("/files/file-ftjob-0123456789abcdef01234567/content"));
        assertEquals("datasets", FileId.ownerApiOfPath("/files/file-nope"));
        assertEquals("batches", FileId.ownerApiOfPath("/files/file-batch_0123456789abcdef01234567-output/content"));
    }

    @Test
    void trainingDataIsAFileIdAVersionPathOrADatasetName() {
        assertEquals(Optional.of(DatasetRef.of("tx", 2)), FileId.trainingData("file-ds-tx-v2"));
        assertEquals(Optional.of(DatasetRef.of("transactions", 2)), FileId.trainingData("datasets/transactions/versions/2"));
        assertEquals(Optional.of(DatasetRef.of("transactions", 0)), FileId.trainingData("transactions"));
        for (String bad : new String[] {null, "file-ftjob-0123456789abcdef01234567", "datasets/tx/versions/0",
                "datasets/tx", "Transactions"}) {
            assertEquals(Optional.empty(), FileId.trainingData(bad), bad);
        }
    }
}
