package io.peftflow.data;

import java.util.Optional;

/**
 * What encoding an example for training needs from a tokenizer: the ids of a piece of text on its own, and the
 * special tokens put around a sequence. peft-core's checkpoint tokenizer and dataset-service's length check
 * both implement it, so {@link TrainedSequence} is the one definition of what a model is fed.
 */
public interface TextTokenizer {

    /** The ids of {@code text} alone, without special tokens. */
    long[] encodeText(String text);

    /** How many ids {@link #encodeText} gives; override when counting is cheaper than encoding. */
    default int countText(String text) {
        return encodeText(text).length;
    }

    /** The beginning-of-sequence id, if the model uses one. */
    Optional<Long> bosId();

    /** The end-of-sequence id; training appends it as a trained token. */
    Optional<Long> eosId();

    /** BOS (when the model uses one) and {@code text}'s ids: a prompt as generation starts from it. */
    default long[] encodePrompt(String text) {
        long[] tokens = encodeText(text);
        if (bosId().isEmpty()) {
            return tokens;
        }
        long[] out = new long[tokens.length + 1];
        out[0] = bosId().get();
        System.arraycopy(tokens, 0, out, 1, tokens.length);
        return out;
    }
}
