package io.peftflow.inference.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/** Request bodies: OpenAI's field names, where OpenAI has the endpoint. */
public final class Requests {
    private Requests() {
    }

    /** {@code input} (one text) or {@code inputs} (several); {@code top_k} labels per answer (default 5). */
    public record Classify(String model, String input, List<String> inputs, @JsonProperty("top_k") Integer topK) {
    }

    /** OpenAI's {@code POST /batches}: the input file, the endpoint its lines call, the window, free metadata. */
    public record CreateBatch(@JsonProperty("input_file_id") String inputFileId, String endpoint,
                              @JsonProperty("completion_window") String completionWindow, Map<String, String> metadata) {
    }

    /** {@code content} is a string or an array of {@code {type: "text", text}} parts. */
    public record Message(String role, JsonNode content) {
    }

    /** OpenAI's sampling fields, shared by both completion endpoints; {@code stop} is a string or an array. */
    public interface Sampling {
        String model();

        Integer maxTokens();

        Double temperature();

        Double topP();

        Long seed();

        JsonNode stop();

        Boolean stream();

        Integer n();

        StreamOptions streamOptions();
    }

    public record StreamOptions(@JsonProperty("include_usage") Boolean includeUsage) {
    }

    public record Chat(String model, List<Message> messages, @JsonProperty("max_tokens") Integer maxTokens,
                       @JsonProperty("max_completion_tokens") Integer maxCompletionTokens, Double temperature,
                       @JsonProperty("top_p") Double topP, Long seed, JsonNode stop, Boolean stream, Integer n,
                       @JsonProperty("stream_options") StreamOptions streamOptions) implements Sampling {
        @Override
        public Integer maxTokens() {
            return maxCompletionTokens != null ? maxCompletionTokens : maxTokens;
        }
    }

    /** {@code prompt} is a string (or an array of one string). */
    public record Completion(String model, JsonNode prompt, @JsonProperty("max_tokens") Integer maxTokens,
                             Double temperature, @JsonProperty("top_p") Double topP, Long seed, JsonNode stop,
                             Boolean stream, Integer n, @JsonProperty("stream_options") StreamOptions streamOptions)
            implements Sampling {
    }
}
