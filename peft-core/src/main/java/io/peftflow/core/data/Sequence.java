package io.peftflow.core.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.peftflow.core.model.CausalLmLoss;
import java.util.List;

/**
 * One tokenised example. For causal-LM training: input ids (BOS, prompt, response, EOS) and labels aligned with
 * them, where {@link CausalLmLoss#IGNORE_INDEX} marks tokens that carry no loss, and no class. For sequence
 * classification: the prompt's ids, no labelled token, and a class index into its dataset's
 * {@link EncodedDataset#classLabels()}.
 *
 * @param source the example's index in the input list
 * @param classIndex the example's class, or {@link #NO_CLASS}
 */
public record Sequence(int source, long[] ids, long[] labels, int classIndex) {
    public static final int NO_CLASS = -1;

    /** A causal-LM sequence. */
    public Sequence(int source, long[] ids, long[] labels) {
        this(source, ids, labels, NO_CLASS);
    }

    public int length() {
        return ids.length;
    }

    public boolean hasClass() {
        return classIndex != NO_CLASS;
    }

    /** Tokens with a label (not {@link CausalLmLoss#IGNORE_INDEX}). */
    public int labelled() {
        return countLabelled(0);
    }

    /**
     * The labels the shifted next-token loss uses, its normaliser: all but the first, which no position predicts,
     * unless {@code virtualTokens} come first (prompt tuning), whose last one predicts it.
     */
    public int lossTokens(int virtualTokens) {
        return countLabelled(virtualTokens > 0 ? 0 : 1);
    }

    private int countLabelled(int from) {
        int n = 0;
        for (int i = from; i < labels.length; i++) {
            n += labels[i] == CausalLmLoss.IGNORE_INDEX ? 0 : 1;
        }
        return n;
    }

    /** The {@code [B]} int64 class indices of a batch, in {@code manager} (on its device). */
    public static NDArray classIndices(List<Sequence> batch, NDManager manager) {
        long[] c = new long[batch.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = batch.get(i).classIndex();
        }
        return manager.create(c);
    }
}
