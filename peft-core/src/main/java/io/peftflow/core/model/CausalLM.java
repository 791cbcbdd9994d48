package io.peftflow.core.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.nn.Casts;
import io.peftflow.core.nn.Embedding;
import io.peftflow.core.nn.Linear;
import io.peftflow.core.nn.Module;
import io.peftflow.core.nn.Scalars;
import java.util.List;

/**
 * A causal language model: the root of the module tree (name ""), holding its parameters in one NDManager.
 * Forward results attach to the manager of the inputs (DJL attaches results to the first operand), so a
 * caller that creates its inputs in a per-step sub-manager frees all temporaries by closing it.
 */
public abstract class CausalLM extends Module implements AutoCloseable {
    private static final float MASKED = -1e9f;

    protected final ModelConfig config;
    protected final NDManager manager;
    protected final DataType dtype;

    protected CausalLM(ModelConfig config, NDManager manager, DataType dtype) {
        super("");
        this.config = config;
        this.manager = manager;
        this.dtype = dtype;
    }

    public ModelConfig config() {
        return config;
    }

    /** The manager that owns the parameters. */
    public NDManager manager() {
        return manager;
    }

    public Device device() {
        return manager.getDevice();
    }

    /** FLOAT32, or FLOAT16 on CUDA. */
    public DataType dtype() {
        return dtype;
    }

    /** {@code lm_head}, sharing the embedding matrix when the config ties them. */
    protected static Linear newLmHead(ModelConfig c, Embedding embeddings) {
        return c.tieWordEmbeddings() ? new Linear("lm_head", embeddings.weight())
                : new Linear("lm_head", c.hiddenSize(), c.vocabSize(), false, false);
    }

    /**
     * Concatenates the weights of Linears that share an input (Llama's q/k/v and gate/up) so that a training forward
     * runs one matmul for each group ({@link io.peftflow.core.nn.FusedLinears}); {@link Models#load} calls it. The
     * per-module parameters stay (as views). No-op where the architecture has no fused path.
     */
    public void fuseProjections() {
    }

    /** {@code model.embed_tokens} or {@code transformer.wte}. */
    public abstract Embedding embedTokens();

    /** {@code lm_head}; its weight is the embedding's when tied. */
    public abstract Linear lmHead();

    public abstract List<? extends DecoderLayer> layers();

    /** Adds learned position embeddings (GPT-2); identity for RoPE models. */
    protected abstract NDArray addPositions(NDArray hidden, NDArray positions);

    /** RoPE cos/sin for these positions, or null. */
    protected abstract NDArray[] rotary(NDArray positions);

    protected abstract NDArray finalNorm(NDArray hidden);

    /** Token embeddings {@code [B, T, hidden]} of ids {@code [B, T]}, e.g. to prepend virtual tokens. */
    public NDArray embed(NDArray inputIds) {
        return embedTokens().forward(inputIds);
    }

    /** Logits {@code [B, T, vocab]} for unpadded ids {@code [B, T]}. */
    public NDArray forward(NDArray inputIds) {
        return forward(ForwardArgs.ids(inputIds));
    }

    /** Logits {@code [B, T, vocab]} in the model dtype. */
    public NDArray forward(ForwardArgs args) {
        NDArray hidden = hiddenStates(args);
        NDArray logits = lmHead().forward(hidden);
        release(hidden, logits);
        return logits;
    }

    /**
     * The final normed hidden states {@code [B, T, hidden]} (input of the LM head or a classifier head), {@code [B, 1,
     * hidden]} where {@link ForwardArgs#lastPositionOnly}.
     */
    public NDArray hiddenStates(ForwardArgs args) {
        Pass pass = prepare(args);
        NDArray h = layersForward(pass, args);
        if (args.cache() != null) {
            args.cache().advance(pass.tokens());
        }
        if (args.lastPositionOnly() && h.getShape().get(1) > 1) {
            h = h.get(":, -1:");
        }
        NDArray normed = finalNorm(h);
        release(h, normed);
        return normed;
    }

    /**
     * The last layer's output of a pass, each layer in turn (a model may run them in one call instead, and then return
     * the last position alone where {@link ForwardArgs#lastPositionOnly}); frees the intermediate hidden states, but
     * not the caller's {@code inputsEmbeds}.
     */
    protected NDArray layersForward(Pass pass, ForwardArgs args) {
        NDArray h = pass.hidden();
        for (DecoderLayer layer : layers()) {
            NDArray next = layer.forward(h, pass.in());
            if (h != args.inputsEmbeds()) {
                release(h, next);
            }
            h = next;
        }
        return h;
    }

    /**
     * The summed next-token loss of a pass through a frozen LM head ({@code labels} aligned with the inputs, int64)
     * and the gradients of {@code lossFactor * loss} with respect to each layer's low-rank updates, computed by
     * hand-written layer backward passes instead of autograd; null where this model or this pass has none (the
     * default), and the caller runs autograd.
     */
    public LayerGradients lossWithLayerGradients(ForwardArgs args, NDArray labels, NDArray lossFactor) {
        return null;
    }

    /** The embedded inputs of one pass, what all its layers share, and its number of new tokens. */
    protected record Pass(NDArray hidden, LayerInput in, int tokens) {
    }

    /** Embeds the inputs and makes the positions, rotary tables and masks its layers share. */
    protected Pass prepare(ForwardArgs args) {
        NDArray h = args.inputsEmbeds() != null ? args.inputsEmbeds() : embed(requireIds(args));
        if (h.getDataType() != dtype) {
            h = Casts.to(h, dtype);
        }
        long b = h.getShape().get(0);
        int t = Math.toIntExact(h.getShape().get(1));
        KvCache cache = args.cache();
        int past = cache == null ? 0 : cache.length();
        NDArray mask2d = args.attentionMask();
        if (mask2d != null && !mask2d.getShape().equals(new Shape(b, past + t))) {
            throw new PeftCoreException("attention mask shape " + mask2d.getShape() + " must be [batch, past + seq] = ["
                    + b + ", " + (past + t) + "]");
        }
        if (args.keyMask() != null) {
            return packed(args, h, b, t, past);
        }
        if (past + t > config.maxPositions() && config.isGpt2()) {
            throw new PeftCoreException("sequence of " + (past + t) + " tokens exceeds the model's "
                    + config.maxPositions() + " positions");
        }
        // Without a cache, padding that only follows the real tokens, and a window (if any) covering the sequence,
        // causal attention needs no mask: the fused kernel then runs its fastest (flash) path. So does one new token
        // over an unpadded cache (a decode step), which sees every key.
        boolean causalOnly = (past == 0 && (mask2d == null || args.rightPadded()) || t == 1 && mask2d == null)
                && (config.slidingWindow() <= 0 || past + t <= config.slidingWindow());
        NDArray positions = args.positionIds() != null ? args.positionIds()
                : defaultPositions(h, causalOnly ? null : mask2d, past, t);
        h = addPositions(h, positions);
        NDArray[] cs = rotary(positions);
        NDArray full = causalOnly ? null : causalMask(h, mask2d, b, t, past, 0);
        NDArray sliding = !causalOnly && config.slidingWindow() > 0
                ? causalMask(h, mask2d, b, t, past, config.slidingWindow()) : null;
        return new Pass(h, new LayerInput(cs == null ? null : cs[0], cs == null ? null : cs[1], full, sliding, cache), t);
    }

    /** {@link #prepare} for a pass with a {@link ForwardArgs#keyMask}: the caller's positions and mask as given. */
    private Pass packed(ForwardArgs args, NDArray embedded, long b, int t, int past) {
        NDArray visible = args.keyMask();
        if (!visible.getShape().equals(new Shape(b, t, past + t)) || args.positionIds() == null
                || args.attentionMask() != null) {
            throw new PeftCoreException("a key mask must be [batch, seq, past + seq] = [" + b + ", " + t + ", "
                    + (past + t) + "] with position ids and no attention mask, got " + visible.getShape());
        }
        NDArray h = addPositions(embedded, args.positionIds());
        NDArray[] cs = rotary(args.positionIds());
        NDArray mask = additive(visible.reshape(b, 1, t, past + t), h.getDataType());
        return new Pass(h, new LayerInput(cs == null ? null : cs[0], cs == null ? null : cs[1], mask, null,
                args.cache()), t);
    }

    private NDArray requireIds(ForwardArgs args) {
        if (args.inputIds() == null) {
            throw new PeftCoreException("forward needs inputIds or inputsEmbeds");
        }
        return args.inputIds();
    }

    private static NDArray defaultPositions(NDArray like, NDArray mask2d, int past, int t) {
        if (mask2d != null) {
            // Left padding: real tokens count from 0, as generate() does; pads get 0 (they are masked anyway).
            NDArray pos = mask2d.toType(DataType.INT64, false).cumSum(1).sub(1).maximum(0);
            return past == 0 ? pos : pos.get(":, " + past + ":");
        }
        return like.getManager().arange(past, past + t).toType(DataType.INT64, false)
                .toDevice(like.getDevice(), false).expandDims(0);
    }

    /** Additive mask {@code [B|1, 1, T, past+T]} in the model dtype: causal, optionally windowed, and padding. */
    private static NDArray causalMask(NDArray like, NDArray mask2d, long b, int t, int past, int window) {
        NDManager m = like.getManager();
        int s = past + t;
        NDArray q = m.arange(past, s).toDevice(like.getDevice(), false).reshape(t, 1);
        NDArray k = m.arange(0, s).toDevice(like.getDevice(), false).reshape(1, s);
        NDArray allowed = k.lte(q);
        if (window > 0) {
            allowed = allowed.logicalAnd(q.sub(k).lt(window));
        }
        allowed = allowed.reshape(1, 1, t, s);
        if (mask2d != null) {
            allowed = allowed.logicalAnd(mask2d.neq(0).reshape(b, 1, 1, s));
        }
        return additive(allowed, like.getDataType());
    }

    /** A boolean mask as an additive one in {@code dtype}: 0 where allowed, a large negative number elsewhere. */
    private static NDArray additive(NDArray allowed, DataType dtype) {
        // fp16 scores take the mask in fp16 (see Attention): -1e9 would be -inf there, and a fully masked padding
        // row of -inf turns into NaN; -3e4 still zeroes exp() and stays finite.
        float masked = dtype == DataType.FLOAT16 ? -3e4f : MASKED;
        return Scalars.mul(Scalars.add(allowed.toType(dtype, false), -1), -masked);
    }

    /** Releases all parameters. */
    @Override
    public void close() {
        manager.close();
    }
}
