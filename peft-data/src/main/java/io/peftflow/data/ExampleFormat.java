package io.peftflow.data;

import java.util.List;

/**
 * The JSONL example formats peftflow accepts. A line's format is recognised by its signature key; the
 * other required keys must then be present too. One format per file.
 */
public enum ExampleFormat {
    /** {@code {"instruction", "input"?, "output"}} (Alpaca); {@code input} is optional and may be empty. */
    INSTRUCTION("instruction", List.of("instruction", "output")),
    /** {@code {"question", "answer"}}. */
    QUESTION_ANSWER("question", List.of("question", "answer")),
    /** {@code {"prompt", "completion"}}. */
    PROMPT_COMPLETION("prompt", List.of("prompt", "completion")),
    /** {@code {"messages": [{"role", "content"}, ...]}} with at least one assistant turn. */
    CHAT("messages", List.of("messages"));

    private final String signature;
    private final List<String> required;

    ExampleFormat(String signature, List<String> required) {
        this.signature = signature;
        this.required = required;
    }

    /** The key whose presence identifies the format. */
    public String signature() {
        return signature;
    }

    public List<String> required() {
        return required;
    }

    /** The wire name, e.g. {@code question_answer}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static String describeAll() {
        return "messages | instruction+output | question+answer | prompt+completion";
    }
}
