package io.peftflow.data;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonlReaderTest {

    private static List<ParsedLine> read(byte[] bytes, ParserLimits limits) throws IOException {
        List<ParsedLine> out = new ArrayList<>();
        try (JsonlReader reader = new JsonlReader(new ByteArrayInputStream(bytes), limits)) {
            for (ParsedLine line; (line = reader.next()) != null; ) {
                out.add(line);
            }
        }
        return out;
    }

    private static List<ParsedLine> read(String text) throws IOException {
        return read(text.getBytes(StandardCharsets.UTF_8), ParserLimits.DEFAULT);
    }

    private static String reason(ParsedLine line) {
        return assertInstanceOf(ParsedLine.Invalid.class, line).reason();
    }

    @Test
    void everyFormatIsNormalisedIntoTurns() throws IOException {
        Example instruction = ((ParsedLine.Valid) read("{\"instruction\":\"Sum\",\"input\":\"1 2\",\"output\":\"3\"}").get(0)).example();
        assertEquals(ExampleFormat.INSTRUCTION, instruction.format());
        assertEquals(List.of(new Turn("user", "Sum\n\n1 2"), new Turn("assistant", "3")), instruction.turns());

        Example noInput = ((ParsedLine.Valid) read("{\"instruction\":\"Hi\",\"input\":\"\",\"output\":\"Hello\"}").get(0)).example();
        assertEquals(new Turn("user", "Hi"), noInput.turns().get(0));

        Example qa = ((ParsedLine.Valid) read("{\"question\":\"2+2?\",\"answer\":\"4\",\"label\":\"math\"}").get(0)).example();
        assertEquals(ExampleFormat.QUESTION_ANSWER, qa.format());
        assertEquals("math", qa.label());
        assertEquals("4", qa.response());

        Example pc = ((ParsedLine.Valid) read("{\"prompt\":\"Once\",\"completion\":\" upon\",\"id\":{\"x\":[1]}}").get(0)).example();
        assertEquals(ExampleFormat.PROMPT_COMPLETION, pc.format());
        assertNull(pc.label());

        Example chat = ((ParsedLine.Valid) read("{\"messages\":[{\"role\":\"system\",\"content\":\"Be brief\"},"
                + "{\"role\":\"user\",\"content\":\"Hi\",\"name\":\"x\"},{\"role\":\"assistant\",\"content\":\"Hello\"}],\"label\":7}").get(0)).example();
        assertEquals(ExampleFormat.CHAT, chat.format());
        assertEquals(3, chat.turns().size());
        assertEquals("7", chat.label());
    }

    @Test
    void eachProblemIsNamed() throws IOException {
        String[][] cases = {
                {"{\"question\":\"q\",\"answer\":", "malformed JSON"},
                {"[1,2]", "not a JSON object"},
                {"\"text\"", "not a JSON object"},
                {"{\"question\":\"q\",\"answer\":\"a\"} {}", "more than one JSON value"},
                {"{\"question\":1,\"answer\":\"a\"}", "field 'question' must be a string, got a number"},
                {"{\"question\":\"q\",\"answer\":null}", "field 'answer' must be a string, got null"},
                {"{\"question\":\"q\",\"answer\":\"  \"}", "field 'answer' is empty"},
                {"{\"question\":\"q\"}", "missing field 'answer'"},
                {"{\"text\":\"q\"}", "no known format"},
                {"{\"prompt\":\"p\",\"question\":\"q\",\"answer\":\"a\"}", "ambiguous format"},
                {"{\"question\":\"q\",\"question\":\"r\",\"answer\":\"a\"}", "duplicate key 'question'"},
                {"{\"messages\":\"hi\"}", "field 'messages' must be an array, got a string"},
                {"{\"messages\":[]}", "field 'messages' is empty"},
                {"{\"messages\":[1]}", "messages[0] must be an object, got a number"},
                {"{\"messages\":[{\"role\":\"bot\",\"content\":\"x\"}]}", "messages[0].role must be one of"},
                {"{\"messages\":[{\"role\":\"user\"}]}", "messages[0] has no 'content'"},
                {"{\"messages\":[{\"content\":\"x\"}]}", "messages[0] has no 'role'"},
                {"{\"messages\":[{\"role\":\"user\",\"content\":\"\"}]}", "messages[0].content is empty"},
                {"{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "no assistant turn"},
                {"{\"question\":\"q\",\"answer\":\"a\",\"label\":[1]}", "field 'label' must be a string, number or boolean"},
                {"{\"question\":\"q\",\"answer\":\"a\",\"x\":" + "[".repeat(20) + "]".repeat(20) + "}", "nested deeper than 16"},
        };
        for (String[] c : cases) {
            String reason = reason(read(c[0]).get(0));
            assertTrue(reason.contains(c[1]), () -> c[0] + " -> " + reason + " (wanted " + c[1] + ")");
        }
    }

    @Test
    void invalidUtf8IsRejectedOnItsLine() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"question\":\"q\",\"answer\":\"a\"}\n{\"question\":\"".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(new byte[]{(byte) 0xC3, (byte) 0x28});
        out.writeBytes("\",\"answer\":\"a\"}\n".getBytes(StandardCharsets.UTF_8));
        List<ParsedLine> lines = read(out.toByteArray(), ParserLimits.DEFAULT);
        assertInstanceOf(ParsedLine.Valid.class, lines.get(0));
        assertTrue(reason(lines.get(1)).contains("UTF-8"), reason(lines.get(1)));
        assertEquals(2, lines.get(1).line());
    }

    @Test
    void invalidUnicodeIsRejectedWhereverTextIs() throws IOException {
        String[][] cases = {
                {"{\"question\":\"ab\\ud800\",\"answer\":\"a\"}", "field 'question' holds invalid Unicode: a lone surrogate \\uD800 at character 3"},
                {"{\"question\":\"q\",\"answer\":\"\\udc00x\"}", "field 'answer' holds invalid Unicode: a lone surrogate \\uDC00 at character 1"},
                {"{\"question\":\"q\",\"answer\":\"a\",\"label\":\"x\\ud83d\"}", "field 'label' holds invalid Unicode: a lone surrogate"},
                {"{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"\\ufdd0\"}]}",
                        "messages[1].content holds invalid Unicode: the noncharacter U+FDD0 at character 1"},
                {"{\"prompt\":\"\\ud83d\\ude00 \\uffff\",\"completion\":\"c\"}", "the noncharacter U+FFFF at character 3"},
                {"{\"prompt\":\"p \\ud83f\\udffe\",\"completion\":\"c\"}", "the noncharacter U+1FFFE at character 3"},
        };
        for (String[] c : cases) {
            String reason = reason(read(c[0]).get(0));
            assertTrue(reason.contains(c[1]), () -> c[0] + " -> " + reason + " (wanted " + c[1] + ")");
        }
        // A surrogate encoded in UTF-8 bytes (CESU-8 style, ED A0 80) is Jackson's invalid UTF-8.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"question\":\"q".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80});
        out.writeBytes("\",\"answer\":\"a\"}".getBytes(StandardCharsets.UTF_8));
        String reason = reason(read(out.toByteArray(), ParserLimits.DEFAULT).get(0));
        assertTrue(reason.contains("invalid UTF-8"), reason);
        // Paired surrogates (an emoji) and ordinary non-ASCII text are fine.
        assertInstanceOf(ParsedLine.Valid.class, read("{\"question\":\"caf\u00e9 \\ud83d\\ude00 \u4e2d\",\"answer\":\"a\"}").get(0));
    }

    @Test
    void bomCrlfAndBlankLinesKeepLineNumbersRight() throws IOException {
        String good = "{\"question\":\"q\",\"answer\":\"a\"}";
        List<ParsedLine> lines = read("\uFEFF" + good + "\r\n\r\n" + good + "\r\n   \n{oops}\r\n" + good);
        assertEquals(6, lines.size());
        assertInstanceOf(ParsedLine.Valid.class, lines.get(0));
        assertEquals("blank line", reason(lines.get(1)));
        assertInstanceOf(ParsedLine.Valid.class, lines.get(2));
        assertEquals("blank line", reason(lines.get(3)));
        assertEquals(5, lines.get(4).line());
        assertTrue(reason(lines.get(4)).startsWith("malformed JSON"));
        assertInstanceOf(ParsedLine.Valid.class, lines.get(5));
        assertEquals(6, lines.get(5).line());
    }

    @Test
    void emptyInputHasNoLines() throws IOException {
        assertEquals(List.of(), read(""));
    }

    @Test
    void mixedFormatsAreRejectedAfterTheFirstValidLine() throws IOException {
        List<ParsedLine> lines = read("{oops}\n{\"prompt\":\"p\",\"completion\":\"c\"}\n{\"question\":\"q\",\"answer\":\"a\"}\n");
        assertInstanceOf(ParsedLine.Valid.class, lines.get(1));
        assertEquals("format question_answer differs from the file's format prompt_completion (detected on line 2)",
                reason(lines.get(2)));
    }

    @Test
    void overlongLinesAreSkippedWithoutBufferingThem() throws IOException {
        ParserLimits limits = new ParserLimits(1000, 16);
        String good = "{\"question\":\"q\",\"answer\":\"a\"}";
        String huge = "{\"question\":\"" + "x".repeat(300_000) + "\",\"answer\":\"a\"}";
        String nearLimit = "{\"question\":\"" + "y".repeat(1000 - 28) + "\",\"answer\":\"a\"}";
        assertEquals(1000, nearLimit.length());
        List<ParsedLine> lines = read((good + "\n" + huge + "\n" + nearLimit + "\n" + huge).getBytes(StandardCharsets.UTF_8), limits);
        assertEquals(4, lines.size());
        assertInstanceOf(ParsedLine.Valid.class, lines.get(0));
        assertEquals("line longer than the limit of 1000 bytes", reason(lines.get(1)));
        assertInstanceOf(ParsedLine.Valid.class, lines.get(2));
        assertEquals("line longer than the limit of 1000 bytes", reason(lines.get(3)));
        assertEquals(4, lines.get(3).line());
    }

    @Test
    void linesSpanningReadChunksAreReassembledAndExposedVerbatim() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            sb.append("{\"prompt\":\"p").append(i).append("\",\"completion\":\"").append("z".repeat(1 + i % 97)).append("\"}\n");
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        // A stream handing out odd-sized pieces exercises the buffer compaction.
        try (JsonlReader reader = new JsonlReader(new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1237));
            }
        }, ParserLimits.DEFAULT)) {
            for (ParsedLine line; (line = reader.next()) != null; ) {
                assertInstanceOf(ParsedLine.Valid.class, line);
                copy.write(reader.lineBuffer(), reader.lineOffset(), reader.lineLength());
                copy.write('\n');
            }
            assertEquals(5000, reader.lines());
            assertEquals(ExampleFormat.PROMPT_COMPLETION, reader.format());
        }
        assertEquals(sb.toString(), copy.toString(StandardCharsets.UTF_8));
    }
}
