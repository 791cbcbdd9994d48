package io.peftflow.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * {@code y = x W^T + b} with the weight stored as the checkpoint stores it: {@code [out, in]} for
 * {@code nn.Linear}, or {@code [in, out]} for GPT-2's {@code Conv1D} ({@link #fanInFanOut()}, PEFT's name for
 * the same flag). Adapters attach through {@link #hooks()}: each hook receives the base output and the input.
 */
public class Linear extends Module {
    private final long inFeatures;
    private final long outFeatures;
    private final boolean fanInFanOut;
    private final Parameter weight;
    private final Parameter bias;
    private final HookList hooks = new HookList();

    public Linear(String name, long inFeatures, long outFeatures, boolean bias, boolean fanInFanOut) {
        super(name);
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.fanInFanOut = fanInFanOut;
        this.weight = addParameter("weight", fanInFanOut ? new Shape(inFeatures, outFeatures)
                : new Shape(outFeatures, inFeatures));
        this.bias = bias ? addParameter("bias", new Shape(outFeatures)) : null;
    }

    /** A linear whose weight is another module's parameter (an LM head tied to the embeddings). */
    public Linear(String name, Parameter tiedWeight) {
        super(name);
        this.outFeatures = tiedWeight.shape().get(0);
        this.inFeatures = tiedWeight.shape().get(1);
        this.fanInFanOut = false;
        this.weight = shareParameter("weight", tiedWeight);
        this.bias = null;
    }

    public NDArray forward(NDArray x) {
        NDArray y = baseForward(x);
        if (hooks.isEmpty()) {
            return y;
        }
        NDArray out = hooks.apply(y, x);
        release(y, out);
        return out;
    }

    /** The output without hooks (the frozen base layer's contribution). */
    public NDArray baseForward(NDArray x) {
        NDArray w = weight.array();
        NDArray b = bias == null ? null : bias.array();
        if (fanInFanOut) {
            NDArray y = x.matMul(w);
            return b == null ? y : y.add(b);
        }
        return ai.djl.nn.core.Linear.linear(x, w, b).singletonOrThrow();
    }

    /**
     * The enabled hooks as one update for a fused kernel: {@link LowRank#NONE} without any, the update of a single
     * {@link LowRankHook} that has one for this pass, else null (the hooks must run as hooks).
     */
    public LowRank lowRank() {
        List<Hook> on = hooks.enabled();
        if (on.isEmpty()) {
            return LowRank.NONE;
        }
        return on.size() == 1 && on.get(0) instanceof LowRankHook h ? h.lowRank() : null;
    }

    public HookList hooks() {
        return hooks;
    }

    public Parameter weight() {
        return weight;
    }

    /** The bias parameter, or null. */
    public Parameter bias() {
        return bias;
    }

    public long inFeatures() {
        return inFeatures;
    }

    public long outFeatures() {
        return outFeatures;
    }

    /** True when the weight is stored {@code [in, out]} (GPT-2 Conv1D); merges must transpose their delta. */
    public boolean fanInFanOut() {
        return fanInFanOut;
    }
}
