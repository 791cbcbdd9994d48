package io.peftflow.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.peftflow.core.nn.Casts;

/**
 * Next-token cross-entropy with an ignore index, as transformers computes it: logits at position t predict
 * label t+1, labels equal to {@link #IGNORE_INDEX} (prompt tokens, padding) contribute nothing. DJL's
 * SoftmaxCrossEntropyLoss has no ignore index, hence this. Computed in fp32 whatever the logits' dtype.
 */
public final class CausalLmLoss {
    public static final long IGNORE_INDEX = -100;

    private CausalLmLoss() {
    }

    /**
     * Summed loss and the number of labelled tokens, for averaging over gradient-accumulation steps.
     *
     * @param sum scalar fp32 NDArray (differentiable)
     * @param count number of labels that are not {@link #IGNORE_INDEX}
     */
    public record Result(NDArray sum, long count) {
        /** Mean loss; NaN-free zero when nothing is labelled. */
        public NDArray mean() {
            // A per-batch value: a tensor in the batch's scope, alive through backward (see Scalars).
            return sum.div(sum.getManager().create((float) Math.max(count, 1)));
        }
    }

    /** @param logits {@code [B, T, V]}; @param labels {@code [B, T]} int64, aligned with the inputs */
    public static Result compute(NDArray logits, NDArray labels) {
        long t = logits.getShape().get(1);
        NDArray lg = logits.get(":, :" + (t - 1) + ", :");
        if (lg.getDataType() != DataType.FLOAT32) {
            lg = Casts.to(lg, DataType.FLOAT32);
        }
        NDArray target = labels.toType(DataType.INT64, false).get(":, 1:");
        NDArray valid = target.neq(IGNORE_INDEX);
        NDArray safe = target.mul(valid.toType(DataType.INT64, false));
        NDArray picked = lg.logSoftmax(-1).gather(safe.expandDims(-1), 2).squeeze(-1);
        NDArray sum = picked.mul(valid.toType(DataType.FLOAT32, false)).sum().neg();
        return new Result(sum, valid.sum().getLong());
    }

    /** Mean next-token loss over labelled tokens. */
    public static NDArray mean(NDArray logits, NDArray labels) {
        return compute(logits, labels).mean();
    }
}
