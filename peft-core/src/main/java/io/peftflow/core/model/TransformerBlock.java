package io.peftflow.core.model;

import ai.djl.ndarray.NDArray;
import io.peftflow.core.nn.HookList;
import io.peftflow.core.nn.Module;

/** A pre-norm residual block, {@code h += attn(norm(h)); h += mlp(norm(h))}, with the two insertion points. */
public abstract class TransformerBlock extends Module implements DecoderLayer {
    private final int index;
    private final HookList afterAttention = new HookList();
    private final HookList afterMlp = new HookList();

    protected TransformerBlock(String name, int index) {
        super(name);
        this.index = index;
    }

    /** Pre-norm and attention, without the residual. */
    protected abstract NDArray attentionBranch(NDArray hidden, LayerInput in);

    /** Pre-norm and MLP, without the residual. */
    protected abstract NDArray mlpBranch(NDArray hidden);

    /** The whole block in one fused call, or null where that does not apply (the default: never). */
    protected NDArray fusedForward(NDArray hidden, LayerInput in) {
        return null;
    }

    @Override
    public final NDArray forward(NDArray hidden, LayerInput in) {
        if (afterAttention.enabled().isEmpty() && afterMlp.enabled().isEmpty()) {
            NDArray fused = fusedForward(hidden, in);
            if (fused != null) {
                return fused;
            }
        }
        NDArray a = attentionBranch(hidden, in);
        NDArray adapted = afterAttention.isEmpty() ? a : afterAttention.apply(a, hidden);
        NDArray h = hidden.add(adapted);
        release(a, null);
        release(adapted, a);
        NDArray m = mlpBranch(h);
        NDArray adaptedMlp = afterMlp.isEmpty() ? m : afterMlp.apply(m, h);
        NDArray out = h.add(adaptedMlp);
        release(m, null);
        release(adaptedMlp, m);
        release(h, null);
        return out;
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public HookList afterAttention() {
        return afterAttention;
    }

    @Override
    public HookList afterMlp() {
        return afterMlp;
    }
}
