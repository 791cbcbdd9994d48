package io.peftflow.kit.storage;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ObjectStore#contentMatches}: a read whose bytes are not the ETag's MD5 is torn; other ETags say nothing. */
class TornReadTest {
    private static final byte[] STATE = "{\"id\":\"batch_1\",\"status\":\"in_progress\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void theWholeContentMatchesItsMd5AndATornOneDoesNot() throws Exception {
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(STATE));
        assertTrue(ObjectStore.contentMatches(STATE, md5));
        assertTrue(ObjectStore.contentMatches(STATE, "\"" + md5 + "\""), "quoted, as S3 sends it");
        assertTrue(ObjectStore.contentMatches(STATE, md5.toUpperCase()));
        byte[] torn = Arrays.copyOf(STATE, STATE.length - 9);
        assertFalse(ObjectStore.contentMatches(torn, md5));
        assertFalse(ObjectStore.contentMatches(STATE, "0".repeat(32)), "another object's MD5");
    }

    @Test
    void otherEtagsSayNothingAboutTheContent() {
        assertTrue(ObjectStore.contentMatches(STATE, null));
        assertTrue(ObjectStore.contentMatches(STATE, ""));
        assertTrue(ObjectStore.contentMatches(STATE, "\"9b2cf535f27731c974343645a3985328-3\""), "multipart");
        assertTrue(ObjectStore.contentMatches(STATE, "W/\"abc\""));
    }
}
