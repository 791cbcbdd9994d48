package io.peftflow.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Renders an {@link Example} into text segments for training: each turn is wrapped in its role's prefix and
 * suffix; the assistant's content and suffix are marked trained (loss on responses only), everything else is
 * context. The trainer tokenises segment by segment and appends its tokenizer's end-of-sequence token.
 *
 * @param name a stable name, recorded in training manifests
 */
public record PromptTemplate(String name,
                             String systemPrefix, String systemSuffix,
                             String userPrefix, String userSuffix,
                             String assistantPrefix, String assistantSuffix) {

    /** Alpaca's layout, for instruction data. */
    public static final PromptTemplate ALPACA = new PromptTemplate("alpaca",
            "", "\n\n", "### Instruction:\n", "\n\n", "### Response:\n", "");
    public static final PromptTemplate QUESTION_ANSWER = new PromptTemplate("question-answer",
            "", "\n", "Question: ", "\n", "Answer: ", "");
    /** The prompt and the completion concatenated as given (the completion carries its own leading space). */
    public static final PromptTemplate RAW = new PromptTemplate("raw", "", "", "", "", "", "");
    public static final PromptTemplate CHATML = new PromptTemplate("chatml",
            "<|im_start|>system\n", "<|im_end|>\n", "<|im_start|>user\n", "<|im_end|>\n",
            "<|im_start|>assistant\n", "<|im_end|>\n");

    /** A piece of rendered text; {@code trained} pieces carry the loss. */
    public record Segment(String text, boolean trained) {
    }

    /** The built-in template of this {@link #name} (as manifests record it). */
    public static Optional<PromptTemplate> named(String name) {
        return Stream.of(ALPACA, QUESTION_ANSWER, RAW, CHATML).filter(t -> t.name.equals(name))
                .findFirst();
    }

    /** The default template of each format. */
    public static PromptTemplate defaultFor(ExampleFormat format) {
        return switch (format) {
            case INSTRUCTION -> ALPACA;
            case QUESTION_ANSWER -> QUESTION_ANSWER;
            case PROMPT_COMPLETION -> RAW;
            case CHAT -> CHATML;
        };
    }

    /** The whole example; empty pieces are left out. */
    public List<Segment> render(Example example) {
        List<Segment> out = new ArrayList<>(example.turns().size() * 3);
        for (Turn turn : example.turns()) {
            boolean trained = turn.isAssistant();
            add(out, prefix(turn.role()), false);
            add(out, turn.content(), trained);
            add(out, suffix(turn.role()), trained);
        }
        return out;
    }

    /**
     * The context up to where the final assistant turn's content starts: what a model is given at generation
     * time (e.g. to compare its greedy answer with {@link Example#response()}).
     */
    public String renderPrompt(Example example) {
        StringBuilder sb = new StringBuilder();
        List<Turn> turns = example.turns();
        int last = lastAssistant(turns);
        for (int i = 0; i < last; i++) {
            Turn turn = turns.get(i);
            sb.append(prefix(turn.role())).append(turn.content()).append(suffix(turn.role()));
        }
        return sb.append(assistantPrefix).toString();
    }

    private static int lastAssistant(List<Turn> turns) {
        for (int i = turns.size() - 1; i >= 0; i--) {
            if (turns.get(i).isAssistant()) {
                return i;
            }
        }
        throw new IllegalArgumentException("example has no assistant turn");
    }

    private String prefix(String role) {
        return switch (role) {
            case Turn.SYSTEM -> systemPrefix;
            case Turn.USER -> userPrefix;
            default -> assistantPrefix;
        };
    }

    private String suffix(String role) {
        return switch (role) {
            case Turn.SYSTEM -> systemSuffix;
            case Turn.USER -> userSuffix;
            default -> assistantSuffix;
        };
    }

    private static void add(List<Segment> out, String text, boolean trained) {
        if (!text.isEmpty()) {
            out.add(new Segment(text, trained));
        }
    }
}
