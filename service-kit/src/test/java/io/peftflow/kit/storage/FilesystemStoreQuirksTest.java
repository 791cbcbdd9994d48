package io.peftflow.kit.storage;

import io.minio.errors.InvalidResponseException;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What s3proxy's filesystem store does while an object is rewritten, as {@link ObjectStore} reads it. */
class FilesystemStoreQuirksTest {

    @Test
    void theFileAnObjectIsWrittenToIsNoObject() {
        assertTrue(ObjectStore.IN_FLIGHT.matcher("state/demo/batch_0001.json-" + UUID.randomUUID()).matches());
        assertFalse(ObjectStore.IN_FLIGHT.matcher("state/demo/batch_0001.json").matches());
        assertFalse(ObjectStore.IN_FLIGHT.matcher("transactions/v3/train.jsonl").matches());
        assertFalse(ObjectStore.IN_FLIGHT.matcher("models/demo/transactions-lora/2/adapter_model.safetensors").matches());
    }

    @Test
    void itsErrorPageIsTransientWhenItIsA5xx() {
        assertTrue(ObjectStore.isTransient(new InvalidResponseException(500, "text/html;charset=iso-8859-1",
                "<html>Unable to get size of extended attribute</html>", "")));
        assertFalse(ObjectStore.isTransient(new InvalidResponseException(403, "text/html", "<html>forbidden</html>", "")));
    }
}
