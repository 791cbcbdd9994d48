package io.peftflow.core.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.peftflow.core.model.CausalLmLoss;
import io.peftflow.core.model.ForwardArgs;
import java.util.Arrays;
import java.util.List;

/** Right-padded {@code [B, T]} ids, attention mask (1 = token) and labels (padding = ignore index). */
public record Batch(NDArray ids, NDArray mask, NDArray labels) {

    /** Collates {@code sequences} into arrays of {@code manager}. */
    public static Batch collate(List<Sequence> sequences, long padId, NDManager manager) {
        Shape shape = shape(sequences);
        int b = sequences.size();
        int t = Math.toIntExact(shape.get(1));
        long[] ids = new long[b * t];
        long[] mask = new long[b * t];
        long[] labels = new long[b * t];
        Arrays.fill(ids, padId);
        Arrays.fill(labels, CausalLmLoss.IGNORE_INDEX);
        for (int i = 0; i < b; i++) {
            Sequence s = sequences.get(i);
            System.arraycopy(s.ids(), 0, ids, i * t, s.length());
            System.arraycopy(s.labels(), 0, labels, i * t, s.length());
            Arrays.fill(mask, i * t, i * t + s.length(), 1);
        }
        return new Batch(manager.create(ids, shape), manager.create(mask, shape), manager.create(labels, shape));
    }

    /** The {@code [B, T]} shape {@link #collate} gives {@code sequences}: T is the longest one's length. */
    public static Shape shape(List<Sequence> sequences) {
        return new Shape(sequences.size(), sequences.stream().mapToInt(Sequence::length).max().orElse(0));
    }

    /** The real (unpadded) tokens of {@code sequences}. */
    public static long tokens(List<Sequence> sequences) {
        return sequences.stream().mapToLong(Sequence::length).sum();
    }

    public ForwardArgs args() {
        return ForwardArgs.ids(ids).attentionMask(mask).rightPadded(true);
    }
}
