package io.peftflow.core.training.data;

import java.util.List;

/**
 * Tokenised examples ready for batching, and what encoding did to the input.
 *
 * @param examples input examples
 * @param truncated examples cut to the context length (kept)
 * @param skipped examples left out: too long under {@link OverLongPolicy#SKIP}, or truncated to no labelled token
 */
public record EncodedDataset(List<Sequence> sequences, int examples, int truncated, int skipped) {
    public EncodedDataset {
        sequences = List.copyOf(sequences);
    }

    public int size() {
        return sequences.size();
    }

    public long tokens() {
        return sequences.stream().mapToLong(Sequence::length).sum();
    }

    /** One line for logs and reports. */
    public String summary() {
        return examples + " examples -> " + size() + " sequences, " + tokens() + " tokens, " + truncated
                + " truncated, " + skipped + " skipped";
    }
}
