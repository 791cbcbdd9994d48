package io.peftflow.inference.batch;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One line of a batch's output or error file, OpenAI's shape: the response {@code /v1/classify} would have given the
 * input line, as status and body (the classification, or the problem that refused it). {@code error} is OpenAI's
 * field for a request that got no response at all, which does not happen here: always null.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ResultLine(String id, @JsonProperty("custom_id") String customId, Response response, Object error) {

    /** {@code body} is a {@code /v1/classify} answer or a problem. */
    public record Response(@JsonProperty("status_code") int statusCode, @JsonProperty("request_id") String requestId,
                           Object body) {
    }

    /** The result of input line {@code index} (0-based); its ids name the batch and the 1-based line. */
    static ResultLine of(String batchId, long index, String customId, int status, Object body) {
        String request = batchId.substring("batch_".length()) + "-" + (index + 1);
        return new ResultLine("batch_req_" + request, customId, new Response(status, "req_" + request, body), null);
    }
}
