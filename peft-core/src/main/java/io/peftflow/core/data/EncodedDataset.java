package io.peftflow.core.data;

import io.peftflow.core.PeftCoreException;
import java.util.List;

/**
 * Tokenised examples ready for batching, and what encoding did to the input.
 *
 * @param examples input examples
 * @param truncated examples cut to the context length (kept)
 * @param skipped examples left out: too long under {@link OverLongPolicy#SKIP}, or truncated to no labelled token
 * @param classLabels empty for causal-LM data; for sequence classification the label list, in class-index order
 *     (every sequence then has a class index into it)
 */
public record EncodedDataset(List<Sequence> sequences, int examples, int truncated, int skipped,
                             List<String> classLabels) {
    public EncodedDataset {
        sequences = List.copyOf(sequences);
        classLabels = List.copyOf(classLabels);
        for (Sequence s : sequences) {
            // One kind per dataset: the trainer picks its loss per dataset, not per sequence.
            if (classLabels.isEmpty() ? s.hasClass() : s.classIndex() < 0 || s.classIndex() >= classLabels.size()) {
                throw new PeftCoreException("sequence of example " + s.source() + " has class index "
                        + s.classIndex() + ", which does not fit the label list " + classLabels);
            }
        }
    }

    /** Causal-LM data. */
    public EncodedDataset(List<Sequence> sequences, int examples, int truncated, int skipped) {
        this(sequences, examples, truncated, skipped, List.of());
    }

    /** True for sequence-classification data (class labels instead of token labels). */
    public boolean isClassification() {
        return !classLabels.isEmpty();
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
                + " truncated, " + skipped + " skipped" + (isClassification() ? ", " + classLabels.size()
                + " classes" : "");
    }
}
