package io.peftflow.data;

import java.util.List;

/**
 * A valid training example, normalised from any {@link ExampleFormat} into role/content turns: the
 * single-turn formats become one user turn and one assistant turn (an instruction's {@code input} is appended
 * to the instruction after a blank line).
 *
 * @param label the explicit {@code label} field as written, or null; {@link #classLabel()} is the label training uses
 */
public record Example(ExampleFormat format, List<Turn> turns, String label) {

    public Example {
        turns = List.copyOf(turns);
    }

    /** The last assistant turn's content: what a classifier-style example answers. */
    public String response() {
        for (int i = turns.size() - 1; i >= 0; i--) {
            if (turns.get(i).isAssistant()) {
                return turns.get(i).content();
            }
        }
        throw new IllegalStateException("an example always has an assistant turn");
    }

    /**
     * The example's class as training and validation use it: its {@code label} field, else its response (a
     * classifier-style completion such as {@code " dining"}), trimmed either way.
     */
    public String classLabel() {
        return (label != null ? label : response()).trim();
    }
}
