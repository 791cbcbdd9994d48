package io.peftflow.core.training.data;

/**
 * One tokenised example: input ids (BOS, prompt, response, EOS) and labels aligned with them, where
 * {@link io.peftflow.core.model.CausalLmLoss#IGNORE_INDEX} marks tokens that carry no loss.
 *
 * @param source the example's index in the input list
 */
public record Sequence(int source, long[] ids, long[] labels) {
    public int length() {
        return ids.length;
    }

    public int labelled() {
        int n = 0;
        for (long l : labels) {
            n += l == io.peftflow.core.model.CausalLmLoss.IGNORE_INDEX ? 0 : 1;
        }
        return n;
    }
}
