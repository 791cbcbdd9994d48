package io.peftflow.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import io.peftflow.core.nn.Kernels;
import io.peftflow.core.nn.Scalars;

/**
 * Next-token cross-entropy with an ignore index, as transformers computes it: logits at position t predict
 * label t+1, labels equal to {@link #IGNORE_INDEX} (prompt tokens, padding) contribute nothing. DJL's
 * SoftmaxCrossEntropyLoss has no ignore index, hence this. Computed in fp32 whatever the logits' dtype, by torch's
 * fused cross-entropy ({@link Kernels#causalLmLoss}).
 */
public final class CausalLmLoss {
    public static final long IGNORE_INDEX = -100;

    private CausalLmLoss() {
    }

    /** Summed loss (scalar fp32, differentiable) and the number of labels that count, both on the device. */
    public static final class Result {
        private final NDArray sum;
        private final NDArray labelled;
        private long count = -1;

        Result(NDArray sum, NDArray labelled) {
            this.sum = sum;
            this.labelled = labelled;
        }

        public NDArray sum() {
            return sum;
        }

        /** Labels that are not {@link #IGNORE_INDEX}; the first call reads the device (a synchronisation). */
        public long count() {
            if (count < 0) {
                count = labelled.getLong();
            }
            return count;
        }

        /** Mean loss, without a host read; zero when nothing is labelled. */
        public NDArray mean() {
            return sum.div(labelled.toType(sum.getDataType(), false).maximum(Scalars.constant(sum, 1)));
        }
    }

    /** @param logits {@code [B, T, V]}; @param labels {@code [B, T]} integer, aligned with the inputs */
    public static Result compute(NDArray logits, NDArray labels) {
        NDList out = Kernels.causalLmLoss(logits, labels.toType(DataType.INT64, false));
        return new Result(out.get(0), out.get(1));
    }

    /**
     * The same loss for the logits {@code hidden [B, T, H]} times {@code weight [V, H]}^T (a frozen LM head) without
     * materialising them ({@link Kernels#lmHeadLoss}).
     */
    public static Result fromHidden(NDArray hidden, NDArray weight, NDArray labels) {
        NDList out = Kernels.lmHeadLoss(hidden, weight, labels.toType(DataType.INT64, false),
                Kernels.lmHeadChunkRows(weight.getShape().get(0)));
        return new Result(out.get(0), out.get(1));
    }

    /** Mean next-token loss over labelled tokens. */
    public static NDArray mean(NDArray logits, NDArray labels) {
        return compute(logits, labels).mean();
    }
}
