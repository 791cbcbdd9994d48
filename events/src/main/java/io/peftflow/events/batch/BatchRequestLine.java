package io.peftflow.events.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peftflow.events.contract.InvalidValue;

/**
 * One line of a batch input file, OpenAI's shape:
 * {@code {"custom_id": "tx-1", "method": "POST", "url": "/v1/classify", "body": {"model": "...", "input": "...", "top_k": 3}}}.
 * One parser on both sides: dataset-service refuses a file with a bad line at upload, inference-service reads the
 * stored lines with it. A line is one input ({@code input}, not {@code inputs}): request counts are lines.
 */
public record BatchRequestLine(String customId, String model, String input, int topK) {
    public static final int MAX_CUSTOM_ID_CHARS = 64;
    public static final int MAX_MODEL_CHARS = 512;
    /** As {@code /v1/classify} bounds one input. */
    public static final int MAX_INPUT_CHARS = 8000;
    public static final int MAX_TOP_K = 1000;
    public static final int DEFAULT_TOP_K = 5;
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).build());
    }

    /** The line, or an {@link InvalidValue} naming the field at fault ({@code custom_id}, {@code body.input}, ...). */
    public static BatchRequestLine parse(String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new InvalidValue("line", "not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new InvalidValue("line", "must be a JSON object {custom_id, method, url, body}");
        }
        String customId = text(node, "custom_id", "custom_id", MAX_CUSTOM_ID_CHARS);
        if (!BatchInputs.METHOD.equals(node.path("method").asText(null))) {
            throw new InvalidValue("method", "must be " + BatchInputs.METHOD);
        }
        if (!BatchInputs.ENDPOINT.equals(node.path("url").asText(null))) {
            throw new InvalidValue("url", "must be " + BatchInputs.ENDPOINT + " (the only endpoint batches call)");
        }
        JsonNode body = node.path("body");
        if (!body.isObject()) {
            throw new InvalidValue("body", "must be a JSON object {model, input, top_k?}");
        }
        String model = text(body, "model", "body.model", MAX_MODEL_CHARS);
        String input = text(body, "input", "body.input", MAX_INPUT_CHARS);
        JsonNode topK = body.path("top_k");
        if (!topK.isMissingNode() && !topK.isNull() && (!topK.canConvertToInt() || !topK.isIntegralNumber()
                || topK.asInt() < 1 || topK.asInt() > MAX_TOP_K)) {
            throw new InvalidValue("body.top_k", "must be an integer 1 to " + MAX_TOP_K);
        }
        return new BatchRequestLine(customId, model, input, topK.isIntegralNumber() ? topK.asInt() : DEFAULT_TOP_K);
    }

    private static String text(JsonNode node, String name, String field, int maxChars) {
        JsonNode value = node.path(name);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new InvalidValue(field, "must be a non-empty string");
        }
        if (value.asText().length() > maxChars) {
            throw new InvalidValue(field, "longer than " + maxChars + " characters");
        }
        return value.asText();
    }
}
