package io.peftflow.inference.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.peftflow.inference.runtime.Classifier;

import java.util.List;

/** Response bodies: OpenAI's shapes for its endpoints; every one names the version that answered. */
public final class Responses {
    /** The header naming the adapter version that answered ({@code N+M} for a stack). */
    public static final String VERSION_HEADER = "x-peftflow-adapter-version";

    private Responses() {
    }

    public record Classification(String object, String model, List<Classifier.Item> data) {
        public static Classification of(Classifier.Result r) {
            return new Classification("list", r.version().modelId(), r.items());
        }
    }

    public record Usage(@JsonProperty("prompt_tokens") int promptTokens,
                        @JsonProperty("completion_tokens") int completionTokens,
                        @JsonProperty("total_tokens") int totalTokens) {
        public static Usage of(int prompt, int completion) {
            return new Usage(prompt, completion, prompt + completion);
        }
    }

    /** {@code refusal} is always null: OpenAI's clients expect the field. */
    public record ChatMessage(String role, String content, String refusal) {
        public ChatMessage(String role, String content) {
            this(role, content, null);
        }
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ChatChoice(int index, ChatMessage message, Object logprobs,
                             @JsonProperty("finish_reason") String finishReason) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ChatDelta(int index, ChatMessage delta, Object logprobs,
                            @JsonProperty("finish_reason") String finishReason) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record TextChoice(int index, String text, Object logprobs, @JsonProperty("finish_reason") String finishReason) {
    }

    /** {@code chat.completion}, {@code chat.completion.chunk} or {@code text_completion}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Completion(String id, String object, long created, String model,
                             @JsonProperty("system_fingerprint") String systemFingerprint, List<?> choices,
                             Usage usage) {
    }

    public record Model(String id, String object, long created, @JsonProperty("owned_by") String ownedBy,
                        int version, @JsonProperty("base_model") String baseModel) {
    }
}
