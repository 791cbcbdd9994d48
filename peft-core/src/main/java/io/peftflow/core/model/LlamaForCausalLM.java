package io.peftflow.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.peftflow.core.nn.Embedding;
import io.peftflow.core.nn.FusedLinears;
import io.peftflow.core.nn.Kernels;
import io.peftflow.core.nn.Linear;
import io.peftflow.core.nn.LowRank;
import io.peftflow.core.nn.Module;
import io.peftflow.core.nn.ModuleList;
import io.peftflow.core.nn.RmsNorm;
import io.peftflow.core.nn.Scalars;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * LlamaForCausalLM, also serving MistralForCausalLM (sliding window) and Qwen2ForCausalLM (q/k/v bias):
 * grouped-query attention with RoPE, RMSNorm, SwiGLU MLP, tied or untied LM head. Module paths are HF's:
 * {@code model.embed_tokens}, {@code model.layers.i.self_attn.{q,k,v,o}_proj},
 * {@code model.layers.i.mlp.{gate,up,down}_proj}, {@code model.layers.i.{input,post_attention}_layernorm},
 * {@code model.norm}, {@code lm_head}.
 */
public final class LlamaForCausalLM extends CausalLM {
    private final Base base;
    private final Linear lmHead;
    private final NDArray invFreq;
    private NativeLlamaDecode nativeDecode;
    private boolean nativeDecodeChecked;

    public LlamaForCausalLM(ModelConfig c, NDManager manager, DataType dtype) {
        super(c, manager, dtype);
        this.base = addChild("model", new Base("model", c));
        this.lmHead = addChild("lm_head", newLmHead(c, base.embedTokens));
        // null for the planner's parameter-free skeletons, which never run a forward
        this.invFreq = manager == null ? null : manager.create(Rope.invFreq(c));
    }

    @Override
    public Embedding embedTokens() {
        return base.embedTokens;
    }

    @Override
    public Linear lmHead() {
        return lmHead;
    }

    @Override
    public List<Layer> layers() {
        return base.layers.items();
    }

    @Override
    public void fuseProjections() {
        for (Layer l : layers()) {
            l.fuse();
        }
    }

    /**
     * Forward through {@link Layer#trainForward} (no autograd, each layer's activations kept for its backward), the
     * final norm and the chunked LM-head loss with its gradient ({@link Kernels#normLmHeadLossBackward}), then each
     * layer's {@link Layer#backward} in reverse. Null when a layer cannot (see {@link Layer#trainableUpdates}: masks,
     * dropout, block adapters, stacked hooks), or on CUDA outside the flash kernel's fp16 and head sizes.
     */
    @Override
    public LayerGradients lossWithLayerGradients(ForwardArgs args, NDArray labels, NDArray lossFactor) {
        int headDim = config.headDim();
        if (device().isGpu() && (dtype != DataType.FLOAT16 || headDim % 8 != 0 || headDim > 256)) {
            return null;
        }
        Pass pass = prepare(args);
        List<Layer> layers = layers();
        LowRank[][] updates = new LowRank[layers.size()][];
        for (int i = 0; i < updates.length; i++) {
            updates[i] = layers.get(i).trainableUpdates(pass.in());
            if (updates[i] == null) {
                return null;
            }
        }
        NDArray[] inputs = new NDArray[layers.size()];
        Kernels.SavedActivations[] saved = new Kernels.SavedActivations[layers.size()];
        try {
            NDArray h = pass.hidden();
            for (int i = 0; i < inputs.length; i++) {
                inputs[i] = h;
                Kernels.LayerTrace trace = layers.get(i).trainForward(h, pass.in(), updates[i]);
                saved[i] = trace.saved();
                h = trace.output();
            }
            NDList head = Kernels.normLmHeadLossBackward(h, base.norm.weight().array(),
                    (float) config.normEps(), lmHead.weight().array(), labels, Kernels
                            .lmHeadChunkRows(config.vocabSize()), lossFactor);
            h.close();
            NDArray dh = head.get(2);
            List<NDArray> lowRank = new ArrayList<>();
            List<NDArray> grads = new ArrayList<>();
            for (int i = inputs.length - 1; i >= 0; i--) {
                NDList g = layers.get(i).backward(dh, inputs[i], pass.in(), saved[i], updates[i]);
                dh.close();
                if (inputs[i] != args.inputsEmbeds()) {
                    inputs[i].close();
                }
                dh = g.get(0);
                for (int t = 0; t < updates[i].length; t++) {
                    if (updates[i][t].a() != null) {
                        lowRank.add(updates[i][t].a());
                        grads.add(g.get(1 + 2 * t));
                        lowRank.add(updates[i][t].scaledB());
                        grads.add(g.get(2 + 2 * t));
                    }
                }
            }
            dh.close();
            return new LayerGradients(head.get(0), lowRank, grads);
        } finally {
            for (Kernels.SavedActivations s : saved) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }

    /** Every layer in one kernel call where {@link #decodeStack} can, else layer by layer. */
    @Override
    protected NDArray layersForward(Pass pass, ForwardArgs args) {
        NDArray out = decodeStack(pass, args.lastPositionOnly());
        if (out == null) {
            return super.layersForward(pass, args);
        }
        if (pass.hidden() != args.inputsEmbeds()) {
            release(pass.hidden(), out);
        }
        return out;
    }

    /**
     * All layers of a pass over a KV cache as one call (one CUDA graph for a decode step where the native engine is
     * configured and serves it, {@link NativeLlamaDecode}; else {@link Kernels#llamaDecodeStack}), the pass's keys and
     * values written into the cache's buffers in place; null, and the layers run one by one, where a layer cannot run fused
     * ({@link Layer#addStackInputs}) or the final norm is trainable. The call runs without autograd (inference mode):
     * generation never backpropagates, and on threads where libtorch's grad mode is on (its default, outside the thread
     * that started the engine) the output still only meets frozen weights next, the final norm's, which saves
     * nothing for a backward (an inference tensor cannot be saved).
     */
    private NDArray decodeStack(Pass pass, boolean lastOnly) {
        LayerInput in = pass.in();
        KvCache cache = in.cache();
        if (cache == null || base.norm.weight().isTrainable()) {
            return null;
        }
        List<Layer> layers = layers();
        List<NDArray> weights = new ArrayList<>(6 * layers.size());
        List<LowRank> updates = new ArrayList<>(7 * layers.size());
        boolean[] sliding = new boolean[layers.size()];
        for (int i = 0; i < sliding.length; i++) {
            if (!layers.get(i).addStackInputs(weights, updates)) {
                return null;
            }
            sliding[i] = layers.get(i).attn.sliding;
        }
        NDArray h = pass.hidden();
        int past = cache.length();
        NDArray[][] kv = cache.buffers(h.getShape().get(0), config.numKvHeads(), config.headDim(), dtype,
                past + pass.tokens());
        NativeLlamaDecode engine = nativeDecode();
        NDArray out = engine != null && engine.serves(h, in, updates)
                ? engine.step(h, kv, past, in, weights, updates) : null;
        if (out != null) {
            return out;
        }
        return Kernels.llamaDecodeStack(h, weights, updates, Scalars.constant(h, (float) config.normEps()), in.cos(),
                in.sin(), Arrays.asList(kv[0]), Arrays.asList(kv[1]), past, in.fullMask(), in.slidingMask(), sliding,
                lastOnly);
    }

    /** The native decode engine, started on first use where one is configured and serves this model, else null. */
    private synchronized NativeLlamaDecode nativeDecode() {
        if (!nativeDecodeChecked) {
            nativeDecode = NativeLlamaDecode.forModel(config, device(), dtype);
            nativeDecodeChecked = true;
        }
        return nativeDecode;
    }

    @Override
    public void close() {
        if (nativeDecode != null) {
            nativeDecode.close();
        }
        super.close();
    }

    @Override
    protected NDArray addPositions(NDArray hidden, NDArray positions) {
        return hidden;
    }

    @Override
    protected NDArray[] rotary(NDArray positions) {
        return Rope.cosSin(positions, invFreq, dtype);
    }

    @Override
    protected NDArray finalNorm(NDArray hidden) {
        return base.norm.forward(hidden);
    }

    /** {@code model}: embeddings, layers, final norm. */
    static final class Base extends Module {
        final Embedding embedTokens;
        final ModuleList<Layer> layers;
        final RmsNorm norm;

        Base(String name, ModelConfig c) {
            super(name);
            embedTokens = addChild("embed_tokens", new Embedding(childName("embed_tokens"), c.vocabSize(),
                    c.hiddenSize()));
            int[] idx = {0};
            layers = addChild("layers", new ModuleList<>(childName("layers"), c.numLayers(),
                    n -> new Layer(n, c, idx[0]++)));
            norm = addChild("norm", new RmsNorm(childName("norm"), c.hiddenSize(), c.normEps()));
        }
    }

    /** {@code model.layers.i}. */
    public static final class Layer extends TransformerBlock {
        private final RmsNorm inputNorm;
        private final SelfAttention attn;
        private final RmsNorm postNorm;
        private final Mlp mlp;
        private final float eps;

        Layer(String name, ModelConfig c, int index) {
            super(name, index);
            eps = (float) c.normEps();
            inputNorm = addChild("input_layernorm", new RmsNorm(childName("input_layernorm"), c.hiddenSize(),
                    c.normEps()));
            attn = addChild("self_attn", new SelfAttention(childName("self_attn"), c, index));
            postNorm = addChild("post_attention_layernorm", new RmsNorm(childName("post_attention_layernorm"),
                    c.hiddenSize(), c.normEps()));
            mlp = addChild("mlp", new Mlp(childName("mlp"), c));
        }

        void fuse() {
            if (hasBias()) {
                return;
            }
            attn.qkv = FusedLinears.refresh(attn.qkv, attn.q, attn.k, attn.v);
            mlp.gateUp = FusedLinears.refresh(mlp.gateUp, mlp.gate, mlp.up);
        }

        private boolean hasBias() {
            return attn.q.bias() != null || attn.o.bias() != null || mlp.gate.bias() != null;
        }

        /**
         * One kernel call for the whole layer without a KV cache (causal attention, or masked where the pass has a
         * mask; frozen fused weights, and on each Linear no hook or one low-rank update); the per-module path
         * otherwise. Passes over a KV cache run all layers as one call ({@link LlamaForCausalLM#decodeStack}) or module
         * by module.
         */
        @Override
        protected NDArray fusedForward(NDArray hidden, LayerInput in) {
            LowRank[] updates = in.cache() == null ? fusedUpdates() : null;
            if (updates == null) {
                return null;
            }
            NDArray[] w = kernelInputs(hidden, in);
            NDArray mask = attn.sliding && in.slidingMask() != null ? in.slidingMask() : in.fullMask();
            return mask == null
                    ? Kernels.llamaLayer(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8], w[9], updates)
                    : Kernels.llamaMaskedLayer(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8], w[9], mask,
                            updates);
        }

        /**
         * Adds this layer's weights (see {@link Kernels#llamaDecodeStack}) and low-rank updates to a whole-model call;
         * false, adding nothing, where the layer cannot run fused (block hooks, trainable base weights, other hooks).
         */
        boolean addStackInputs(List<NDArray> weights, List<LowRank> updates) {
            LowRank[] u = afterAttention().enabled().isEmpty() && afterMlp().enabled().isEmpty() ? fusedUpdates()
                    : null;
            if (u == null) {
                return false;
            }
            weights.addAll(Arrays.asList(weights()));
            updates.addAll(Arrays.asList(u));
            return true;
        }

        /** The low-rank update of each target (q, k, v, o, gate, up, down) when the layer runs as one call, else null. */
        private LowRank[] fusedUpdates() {
            if (attn.qkv == null || mlp.gateUp == null) {
                return null;
            }
            if (attn.qkv.weight() == null || mlp.gateUp.weight() == null || attn.o.weight().isTrainable()
                    || mlp.down.weight().isTrainable() || inputNorm.weight().isTrainable()
                    || postNorm.weight().isTrainable()) {
                return null;
            }
            Linear[] targets = {attn.q, attn.k, attn.v, attn.o, mlp.gate, mlp.up, mlp.down};
            LowRank[] updates = new LowRank[targets.length];
            for (int i = 0; i < targets.length; i++) {
                updates[i] = targets[i].lowRank();
                if (updates[i] == null) {
                    return null;
                }
            }
            return updates;
        }

        /** The whole-layer kernels' fixed inputs: h, the norms' and projections' {@link #weights}, eps, cos and sin. */
        private NDArray[] kernelInputs(NDArray hidden, LayerInput in) {
            NDArray[] w = weights();
            return new NDArray[] {hidden, w[0], w[1], w[2], w[3], w[4], w[5], Scalars.constant(hidden, eps), in.cos(),
                    in.sin()};
        }

        /** Input norm, fused q/k/v, o, post-attention norm, fused gate/up, down. */
        private NDArray[] weights() {
            return new NDArray[] {inputNorm.weight().array(), attn.qkv.weight(), attn.o.weight().array(),
                    postNorm.weight().array(), mlp.gateUp.weight(), mlp.down.weight().array()};
        }

        /**
         * The updates for a training pass through {@link #trainForward} and {@link #backward} (the fused conditions,
         * no cache, no mask (the training kernel is causal only), no block hooks, one {@code [r, in]} pair or none per
         * target), else null: autograd's path.
         */
        LowRank[] trainableUpdates(LayerInput in) {
            if (in.cache() != null || in.fullMask() != null || in.slidingMask() != null
                    || !afterAttention().enabled().isEmpty() || !afterMlp().enabled().isEmpty()) {
                return null;
            }
            LowRank[] updates = fusedUpdates();
            if (updates == null) {
                return null;
            }
            for (LowRank u : updates) {
                if (u.a() != null && u.a().getShape().dimension() != 2) {
                    return null;
                }
            }
            return updates;
        }

        /** The layer's output without autograd and what {@link #backward} reads. */
        Kernels.LayerTrace trainForward(NDArray hidden, LayerInput in, LowRank[] updates) {
            NDArray[] w = kernelInputs(hidden, in);
            return Kernels.llamaLayerTrain(w[0], w[1], w[2], w[3], w[4], w[5], w[6], eps, w[8], w[9], updates);
        }

        /** The hand-written backward of {@link #trainForward} ({@link Kernels#llamaLayerBackward}). */
        NDList backward(NDArray dOut, NDArray hidden, LayerInput in, Kernels.SavedActivations saved,
                        LowRank[] updates) {
            NDArray[] w = kernelInputs(hidden, in);
            return Kernels.llamaLayerBackward(dOut, w[0], w[1], w[2], w[3], w[4], w[5], w[6], eps, w[8], w[9], saved,
                    updates);
        }

        @Override
        protected NDArray attentionBranch(NDArray hidden, LayerInput in) {
            NDArray x = inputNorm.forward(hidden);
            NDArray out = attn.forward(x, in);
            release(x, out);
            return out;
        }

        @Override
        protected NDArray mlpBranch(NDArray hidden) {
            NDArray x = postNorm.forward(hidden);
            NDArray out = mlp.forward(x);
            release(x, out);
            return out;
        }

        @Override
        public SelfAttention attention() {
            return attn;
        }

        @Override
        public Mlp mlp() {
            return mlp;
        }
    }

    /** {@code model.layers.i.self_attn}. */
    public static final class SelfAttention extends Module {
        private final Linear q;
        private final Linear k;
        private final Linear v;
        private final Linear o;
        private final int layer;
        private final int kvHeads;
        private final int headDim;
        private final boolean sliding;
        private final float scale;
        private FusedLinears qkv;

        SelfAttention(String name, ModelConfig c, int layer) {
            super(name);
            this.layer = layer;
            int heads = c.numHeads();
            this.kvHeads = c.numKvHeads();
            this.headDim = c.headDim();
            this.sliding = c.slidingLayers()[layer];
            this.scale = (float) (1.0 / Math.sqrt(headDim));
            q = addChild("q_proj", new Linear(childName("q_proj"), c.hiddenSize(), (long) heads * headDim,
                    c.qkvBias(), false));
            k = addChild("k_proj", new Linear(childName("k_proj"), c.hiddenSize(), (long) kvHeads * headDim,
                    c.qkvBias(), false));
            v = addChild("v_proj", new Linear(childName("v_proj"), c.hiddenSize(), (long) kvHeads * headDim,
                    c.qkvBias(), false));
            o = addChild("o_proj", new Linear(childName("o_proj"), (long) heads * headDim, c.hiddenSize(),
                    c.outputBias(), false));
        }

        NDArray forward(NDArray x, LayerInput in) {
            NDArray qp = q.forward(x);
            NDArray qs = Rope.apply(qp, in.cos(), in.sin());
            release(qp, qs);
            NDArray kp = k.forward(x);
            NDArray ks = Rope.apply(kp, in.cos(), in.sin());
            release(kp, ks);
            NDArray vs = AttentionOps.splitHeads(v.forward(x), kvHeads, headDim);
            NDArray context = AttentionOps.attend(qs, ks, vs, in, layer, sliding, scale);
            NDArray out = o.forward(context);
            release(context, out);
            release(qs, out);
            if (in.cache() == null) {
                // the cache keeps the rotated keys and the values; without one they are done with
                release(ks, out);
                release(vs, out);
            }
            return out;
        }
    }

    /** {@code model.layers.i.mlp}: {@code down(silu(gate(x)) * up(x))}. */
    public static final class Mlp extends Module {
        private final Linear gate;
        private final Linear up;
        private final Linear down;
        private FusedLinears gateUp;

        Mlp(String name, ModelConfig c) {
            super(name);
            gate = addChild("gate_proj", new Linear(childName("gate_proj"), c.hiddenSize(), c.intermediateSize(),
                    c.mlpBias(), false));
            up = addChild("up_proj", new Linear(childName("up_proj"), c.hiddenSize(), c.intermediateSize(),
                    c.mlpBias(), false));
            down = addChild("down_proj", new Linear(childName("down_proj"), c.intermediateSize(), c.hiddenSize(),
                    c.mlpBias(), false));
        }

        NDArray forward(NDArray x) {
            NDArray g = gate.forward(x);
            NDArray u = up.forward(x);
            NDArray s = Kernels.swiglu(g, u);
            release(g, s);
            release(u, s);
            NDArray out = down.forward(s);
            release(s, out);
            return out;
        }
    }
}
