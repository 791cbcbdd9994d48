package io.peftflow.events.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one line rule both sides of a batch file read by: lines end at \n only, CRLF endings, a last line without \n. */
class BatchInputsLinesTest {
    private static List<String> lines(String file, int maxBytes) throws IOException {
        List<String> out = new ArrayList<>();
        try (BatchInputs.Lines in = new BatchInputs.Lines(new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8)),
                maxBytes)) {
            for (String line = in.nextText(); line != null; line = in.nextText()) {
                out.add(line + (in.tooLong() ? " (too long)" : ""));
            }
            assertNull(in.next(), "nothing after the end");
        }
        return out;
    }

    @Test
    void aLoneCarriageReturnStaysInItsLine() throws IOException {
        assertEquals(List.of("{\"a\": 1,\r\"b\": 2}", "{}"), lines("{\"a\": 1,\r\"b\": 2}\n{}\n", 100));
    }

    @Test
    void crlfEndingsAreEndings() throws IOException {
        assertEquals(List.of("one", "two", ""), lines("one\r\ntwo\r\n\r\n", 100));
        assertEquals(List.of("one\r", "two\r"), lines("one\r\r\ntwo\r", 100), "only the \\r before \\n is the ending's");
    }

    @Test
    void aFinalLineNeedsNoNewlineAndAFinalNewlineStartsNoLine() throws IOException {
        assertEquals(List.of("one", "two"), lines("one\ntwo", 100));
        assertEquals(List.of("one", "two"), lines("one\ntwo\n", 100));
        assertEquals(List.of("", ""), lines("\n\n", 100));
        assertEquals(List.of(), lines("", 100));
    }

    @Test
    void aLineOverTheLimitIsCutAndFlagged() throws IOException {
        assertEquals(List.of("abcd", "abcd (too long)", "ab"), lines("abcd\r\nabcde\nab", 4));
    }
}
