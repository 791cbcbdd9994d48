package io.peftflow.dataset.validation;

import io.peftflow.data.Example;
import io.peftflow.data.PromptTemplate;
import io.peftflow.data.TextTokenizer;
import io.peftflow.data.TrainedSequence;

import java.util.Optional;

/**
 * An example's trained length ({@link TrainedSequence}): its format's default template rendered, BOS and EOS
 * included, in tokens of the base model's tokenizer, exactly what the trainer feeds the model; in characters
 * of the rendered text when no base model is named.
 *
 * @param unit     {@code tokens} or {@code characters}, as reported
 * @param measured what is counted, for the report
 */
public record LengthCounter(String unit, String measured, TextTokenizer tokenizer) {

    /** Unicode code points of the templated text; no special tokens. */
    public static final LengthCounter CHARACTERS = new LengthCounter("characters",
            "characters of the text as the format's default template renders it for training", new TextTokenizer() {
                @Override
                public long[] encodeText(String text) {
                    return text.codePoints().asLongStream().toArray();
                }

                @Override
                public int countText(String text) {
                    return text.codePointCount(0, text.length());
                }

                @Override
                public Optional<Long> bosId() {
                    return Optional.empty();
                }

                @Override
                public Optional<Long> eosId() {
                    return Optional.empty();
                }
            });

    /** Tokens of {@code baseModel}'s tokenizer over the trained sequence. */
    public static LengthCounter tokens(String baseModel, TextTokenizer tokenizer) {
        return new LengthCounter("tokens", "tokens of " + baseModel + "'s tokenizer over the format's default"
                + " template, BOS and EOS included: the sequence the trainer feeds the model", tokenizer);
    }

    public int count(Example example) {
        return TrainedSequence.length(example, PromptTemplate.defaultFor(example.format()), tokenizer);
    }
}
