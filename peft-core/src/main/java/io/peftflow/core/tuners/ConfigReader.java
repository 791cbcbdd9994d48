package io.peftflow.core.tuners;

import com.fasterxml.jackson.databind.JsonNode;
import io.peftflow.core.PeftCoreException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed reads of one method's JSON config with errors that name the key ({@link PeftCoreException#field()}). The
 * same reader parses a saved {@code adapter_config.json} (lenient: PEFT writes many keys a method does not use) and
 * a job's hyperparameters (strict: {@link #finish()} rejects keys nothing read, so a misspelt {@code lora_alpah}
 * is a 4xx, not a silently ignored value).
 */
public final class ConfigReader {
    private final JsonNode node;
    private final String method;
    private final boolean strict;
    private final Set<String> read = new LinkedHashSet<>();

    private ConfigReader(JsonNode node, String method, boolean strict) {
        if (node != null && !node.isNull() && !node.isObject()) {
            throw PeftCoreException.invalidField("hyperparameters", method + " hyperparameters must be a JSON object,"
                    + " got " + node);
        }
        this.node = node == null || node.isNull() ? io.peftflow.core.checkpoint.Json.MAPPER.createObjectNode() : node;
        this.method = method;
        this.strict = strict;
    }

    /** A job's hyperparameters: every key must be one the method reads. */
    public static ConfigReader hyperparameters(JsonNode node, String method) {
        return new ConfigReader(node, method, true);
    }

    /** A saved {@code adapter_config.json}: keys the method does not read are ignored. */
    public static ConfigReader saved(JsonNode node, String method) {
        return new ConfigReader(node, method, false);
    }

    public boolean has(String key) {
        read.add(key);
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    /** The raw value, or null when absent or JSON null. */
    public JsonNode node(String key) {
        return has(key) ? node.get(key) : null;
    }

    public int integer(String key, int fallback) {
        JsonNode v = node(key);
        if (v == null) {
            return fallback;
        }
        boolean whole = v.isIntegralNumber() || v.isNumber() && v.asDouble() == Math.rint(v.asDouble());
        if (!whole || Math.abs(v.asDouble()) > Integer.MAX_VALUE) {
            throw invalid(key, "must be an integer, got " + v);
        }
        return v.asInt();
    }

    public double number(String key, double fallback) {
        JsonNode v = node(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw invalid(key, "must be a number, got " + v);
        }
        return v.asDouble();
    }

    public boolean bool(String key, boolean fallback) {
        JsonNode v = node(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw invalid(key, "must be true or false, got " + v);
        }
        return v.asBoolean();
    }

    public String text(String key, String fallback) {
        JsonNode v = node(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw invalid(key, "must be a string, got " + v);
        }
        return v.asText();
    }

    public List<String> texts(String key) {
        JsonNode v = node(key);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!v.isArray()) {
            throw invalid(key, "must be a list of strings, got " + v);
        }
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw invalid(key, "must be a list of strings, got " + v);
            }
            out.add(e.asText());
        }
        return out;
    }

    /** Marks keys as understood without reading them (written for PEFT, meaningless here). */
    public ConfigReader ignore(String... keys) {
        read.addAll(List.of(keys));
        return this;
    }

    /** For hyperparameters: an error naming the first key nothing read. */
    public void finish() {
        if (!strict) {
            return;
        }
        Set<String> unknown = new TreeSet<>();
        node.fieldNames().forEachRemaining(unknown::add);
        unknown.removeAll(read);
        if (!unknown.isEmpty()) {
            String key = unknown.iterator().next();
            throw PeftCoreException.invalidField(key, "unknown " + method + " hyperparameter '" + key + "'; known: "
                    + new TreeSet<>(read));
        }
    }

    /** An error naming {@code key}: "{key} {problem}". */
    public PeftCoreException invalid(String key, String problem) {
        return PeftCoreException.invalidField(key, key + " " + problem);
    }
}
