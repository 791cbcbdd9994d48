package io.peftflow.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Sha256Test {
    /** FIPS 180-2's test vector for "abc". */
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void hashesBytesTextStreamsFilesAndDigestsAlike(@TempDir Path tmp) throws Exception {
        byte[] abc = "abc".getBytes(StandardCharsets.UTF_8);
        assertEquals(ABC, Sha256.hex(abc));
        assertEquals(ABC, Sha256.hex("abc"));
        assertEquals(ABC, Sha256.hex(new ByteArrayInputStream(abc)));
        Path file = Files.write(tmp.resolve("abc"), abc);
        assertEquals(ABC, Sha256.hex(file));
        MessageDigest digest = Sha256.newDigest();
        digest.update(abc, 0, 1);
        digest.update(abc, 1, 2);
        assertEquals(ABC, Sha256.hex(digest));
    }

    @Test
    void streamsFilesLargerThanItsBuffer(@TempDir Path tmp) throws Exception {
        byte[] big = new byte[(1 << 16) * 3 + 7];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        assertEquals(Sha256.hex(big), Sha256.hex(Files.write(tmp.resolve("big"), big)));
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Sha256.hex(new byte[0]));
    }
}
