package io.peftflow.dataset.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.zip.GZIPOutputStream;

/** Small generated JSONL files and unique names, so tests never collide with earlier runs' S3 objects. */
final class TestData {
    private TestData() {
    }

    static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String qa(int i, String answer) {
        return "{\"question\":\"what is item " + i + "?\",\"answer\":\"" + answer + "\"}";
    }

    static String chat(int i) {
        return "{\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Hello "
                + i + "\"},{\"role\":\"assistant\",\"content\":\"Hi " + i + "\"}]}";
    }

    static String instruction(int i) {
        return "{\"instruction\":\"Add one to the number\",\"input\":\"" + i + "\",\"output\":\"" + (i + 1) + "\"}";
    }

    static String completion(int i) {
        return "{\"prompt\":\"Count: " + i + "\",\"completion\":\" " + (i + 1) + "\"}";
    }

    static String labelled(int i, String label) {
        return "{\"prompt\":\"Transaction " + i + ": card payment\",\"completion\":\" category\",\"label\":\"" + label + "\"}";
    }

    /** {@code n} lines made by {@code line}, newline-terminated. */
    static String lines(int from, int to, IntFunction<String> line) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            sb.append(line.apply(i)).append('\n');
        }
        return sb.toString();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
