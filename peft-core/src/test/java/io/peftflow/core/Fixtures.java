package io.peftflow.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.peftflow.core.checkpoint.Json;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** The reference checkpoints made by peft-core/reference/make_fixtures.py. */
public final class Fixtures {
    public static final String[] MODELS = {"llama_gqa_tied", "llama3_untied_sharded", "qwen2_bias", "mistral_sliding",
        "gpt2"};

    private Fixtures() {
    }

    /** For {@code @MethodSource("io.peftflow.core.Fixtures#models")}. */
    public static String[] models() {
        return MODELS;
    }

    public static Path dir(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/fixtures/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode expected(String name) {
        return Json.read(dir(name).resolve("expected.json"));
    }

    public static long[][] longs(JsonNode rows) {
        long[][] out = new long[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            out[i] = row(rows.get(i));
        }
        return out;
    }

    public static long[] row(JsonNode values) {
        long[] out = new long[values.size()];
        for (int j = 0; j < out.length; j++) {
            out[j] = values.get(j).asLong();
        }
        return out;
    }

    public static long[] flat(long[][] rows) {
        return java.util.Arrays.stream(rows).flatMapToLong(java.util.Arrays::stream).toArray();
    }
}
