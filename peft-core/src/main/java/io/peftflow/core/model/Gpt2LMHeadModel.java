package io.peftflow.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.peftflow.core.nn.Activations;
import io.peftflow.core.nn.Embedding;
import io.peftflow.core.nn.LayerNorm;
import io.peftflow.core.nn.Linear;
import io.peftflow.core.nn.Module;
import io.peftflow.core.nn.ModuleList;
import java.util.List;

/**
 * GPT2LMHeadModel: learned positions, pre-LayerNorm blocks, gelu_new MLP; its Conv1D weights are stored
 * {@code [in, out]} ({@link Linear#fanInFanOut()}). Module paths are HF's: {@code transformer.wte},
 * {@code transformer.wpe}, {@code transformer.h.i.attn.c_attn}, {@code transformer.h.i.attn.c_proj},
 * {@code transformer.h.i.mlp.c_fc}, {@code transformer.h.i.mlp.c_proj}, {@code transformer.ln_f}, {@code lm_head}.
 */
public final class Gpt2LMHeadModel extends CausalLM {
    private final Transformer transformer;
    private final Linear lmHead;

    public Gpt2LMHeadModel(ModelConfig c, NDManager manager, DataType dtype) {
        super(c, manager, dtype);
        this.transformer = addChild("transformer", new Transformer("transformer", c));
        this.lmHead = addChild("lm_head", newLmHead(c, transformer.wte));
    }

    @Override
    public Embedding embedTokens() {
        return transformer.wte;
    }

    @Override
    public Linear lmHead() {
        return lmHead;
    }

    @Override
    public List<Block> layers() {
        return transformer.h.items();
    }

    @Override
    protected NDArray addPositions(NDArray hidden, NDArray positions) {
        return hidden.add(transformer.wpe.forward(positions));
    }

    @Override
    protected NDArray[] rotary(NDArray positions) {
        return null;
    }

    @Override
    protected NDArray finalNorm(NDArray hidden) {
        return transformer.lnF.forward(hidden);
    }

    /** {@code transformer}. */
    static final class Transformer extends Module {
        final Embedding wte;
        final Embedding wpe;
        final ModuleList<Block> h;
        final LayerNorm lnF;

        Transformer(String name, ModelConfig c) {
            super(name);
            wte = addChild("wte", new Embedding(childName("wte"), c.vocabSize(), c.hiddenSize()));
            wpe = addChild("wpe", new Embedding(childName("wpe"), c.maxPositions(), c.hiddenSize()));
            int[] idx = {0};
            h = addChild("h", new ModuleList<>(childName("h"), c.numLayers(), n -> new Block(n, c, idx[0]++)));
            lnF = addChild("ln_f", new LayerNorm(childName("ln_f"), c.hiddenSize(), c.normEps()));
        }
    }

    /** {@code transformer.h.i}. */
    public static final class Block extends TransformerBlock {
        private final LayerNorm ln1;
        private final Attn attn;
        private final LayerNorm ln2;
        private final Mlp mlp;

        Block(String name, ModelConfig c, int index) {
            super(name, index);
            ln1 = addChild("ln_1", new LayerNorm(childName("ln_1"), c.hiddenSize(), c.normEps()));
            attn = addChild("attn", new Attn(childName("attn"), c, index));
            ln2 = addChild("ln_2", new LayerNorm(childName("ln_2"), c.hiddenSize(), c.normEps()));
            mlp = addChild("mlp", new Mlp(childName("mlp"), c));
        }

        @Override
        protected NDArray attentionBranch(NDArray hidden, LayerInput in) {
            return attn.forward(ln1.forward(hidden), in);
        }

        @Override
        protected NDArray mlpBranch(NDArray hidden) {
            return mlp.forward(ln2.forward(hidden));
        }

        @Override
        public Attn attention() {
            return attn;
        }

        @Override
        public Mlp mlp() {
            return mlp;
        }
    }

    /** {@code transformer.h.i.attn}: fused qkv projection {@code c_attn}, output {@code c_proj}. */
    public static final class Attn extends Module {
        private final Linear cAttn;
        private final Linear cProj;
        private final int layer;
        private final int heads;
        private final int headDim;
        private final float scale;

        Attn(String name, ModelConfig c, int layer) {
            super(name);
            this.layer = layer;
            this.heads = c.numHeads();
            this.headDim = c.headDim();
            double s = 1.0 / Math.sqrt(headDim);
            this.scale = (float) (c.scaleAttnByInverseLayerIdx() ? s / (layer + 1) : s);
            cAttn = addChild("c_attn", new Linear(childName("c_attn"), c.hiddenSize(), 3L * c.hiddenSize(), true,
                    true));
            cProj = addChild("c_proj", new Linear(childName("c_proj"), c.hiddenSize(), c.hiddenSize(), true, true));
        }

        NDArray forward(NDArray x, LayerInput in) {
            NDList qkv = AttentionOps.splitLast(cAttn.forward(x), 3);
            NDArray q = AttentionOps.splitHeads(qkv.get(0), heads, headDim);
            NDArray k = AttentionOps.splitHeads(qkv.get(1), heads, headDim);
            NDArray v = AttentionOps.splitHeads(qkv.get(2), heads, headDim);
            return cProj.forward(AttentionOps.attend(q, k, v, in, layer, false, scale));
        }
    }

    /** {@code transformer.h.i.mlp}: {@code c_proj(gelu_new(c_fc(x)))}. */
    public static final class Mlp extends Module {
        private final Linear cFc;
        private final Linear cProj;
        private final boolean exactGelu;

        Mlp(String name, ModelConfig c) {
            super(name);
            cFc = addChild("c_fc", new Linear(childName("c_fc"), c.hiddenSize(), c.intermediateSize(), true, true));
            cProj = addChild("c_proj", new Linear(childName("c_proj"), c.intermediateSize(), c.hiddenSize(), true,
                    true));
            exactGelu = c.hiddenAct().equals("gelu");
        }

        NDArray forward(NDArray x) {
            NDArray h = cFc.forward(x);
            return cProj.forward(exactGelu ? Activations.gelu(h) : Activations.geluNew(h));
        }
    }
}
