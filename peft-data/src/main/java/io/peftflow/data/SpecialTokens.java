package io.peftflow.data;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.Map;

/**
 * How a Hugging Face checkpoint declares its special tokens: {@code tokenizer_config.json} names them (as a
 * string or an {@code {"content": ...}} object), {@code tokenizer.json}'s vocabulary and added tokens give their
 * ids, and {@code config.json}'s ids are the fallback. Shared by peft-core's tokenizer and dataset-service's
 * length check, so both put the same BOS and EOS around a sequence.
 */
public final class SpecialTokens {
    private SpecialTokens() {
    }

    /** Every token of {@code tokenizer.json} with its id: the model's vocabulary plus its added tokens. */
    public static Map<String, Long> vocabulary(JsonNode tokenizerJson) {
        Map<String, Long> ids = new HashMap<>();
        JsonNode vocab = tokenizerJson.path("model").path("vocab");
        if (vocab.isObject()) {
            vocab.fields().forEachRemaining(e -> ids.put(e.getKey(), e.getValue().asLong()));
        }
        tokenizerJson.path("added_tokens").forEach(t -> ids.put(t.path("content").asText(), t.path("id").asLong()));
        return ids;
    }

    /**
     * The id of the special token {@code key} ({@code bos_token}, {@code eos_token}, {@code pad_token}) that
     * {@code tokenizerConfig} (may be null) names, else {@code fallback} (config.json's id; may be null).
     */
    public static Long id(JsonNode tokenizerConfig, String key, Map<String, Long> vocabulary, Integer fallback) {
        JsonNode n = tokenizerConfig == null ? null : tokenizerConfig.get(key);
        if (n != null && !n.isNull()) {
            String content = n.isTextual() ? n.asText() : n.path("content").asText(null);
            if (content != null && vocabulary.containsKey(content)) {
                return vocabulary.get(content);
            }
        }
        return fallback == null ? null : fallback.longValue();
    }

    /** {@code config.json}'s {@code key} ({@code bos_token_id}, {@code eos_token_id}): an int, or a list's first. */
    public static Integer configId(JsonNode config, String key) {
        JsonNode n = config == null ? null : config.get(key);
        if (n != null && n.isArray()) {
            n = n.size() > 0 ? n.get(0) : null;
        }
        return n != null && n.canConvertToInt() ? n.asInt() : null;
    }
}
