package io.peftflow.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.peftflow.core.Fixtures;
import io.peftflow.core.nn.Kernels;
import io.peftflow.core.nn.Linear;
import io.peftflow.core.nn.Parameter;
import io.peftflow.core.tuners.PeftModel;
import io.peftflow.core.tuners.TargetModules;
import io.peftflow.core.tuners.lora.LoraConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The loader fuses q/k/v and gate/up into one weight each, keeping the per-module weights as views of it; a Llama
 * layer then runs as one kernel call, with the per-module forward's result.
 */
class FusedLayerTest {
    @Test
    void fusedLayerMatchesPerModuleForward() {
        for (String name : List.of("llama_gqa_tied", "llama3_untied_sharded", "mistral_sliding")) {
            try (CausalLM model = Models.load(Fixtures.dir(name), LoadOptions.cpu());
                 NDManager s = model.manager().newSubManager()) {
                LlamaForCausalLM.Layer layer = (LlamaForCausalLM.Layer) model.layers().get(1);
                long hidden = model.config().hiddenSize();
                NDArray h = s.randomNormal(0, 1, new Shape(2, 5, hidden), DataType.FLOAT32);
                NDArray positions = s.arange(0, 5).toType(DataType.INT64, false).expandDims(0);
                NDArray[] cs = Rope.cosSin(positions, s.create(Rope.invFreq(model.config())), DataType.FLOAT32);
                LayerInput in = new LayerInput(cs[0], cs[1], null, null, null);

                NDArray fused = layer.fusedForward(h, in);
                assertNotNull(fused, name + ": fused path taken");
                Linear q = (Linear) model.module("model.layers.1.self_attn.q_proj");
                q.hooks().add("identity", (out, x) -> out);   // not a low-rank hook: per-module path
                assertNull(layer.fusedForward(h, in), name + ": a plain hook falls back");
                NDArray perModule = layer.forward(h, in);
                q.hooks().remove("identity");
                assertArrayEquals(perModule.toFloatArray(), fused.toFloatArray(), 2e-6f, name);
            }
        }
    }

    /**
     * Over a KV cache all layers run as one call, writing into the cache in place (a prompt, then one new token at a
     * time, the cache growing past its first capacity), with or without left padding (a mask), and past a sliding
     * window (Mistral's, 5 tokens): the per-module path's logits and cached keys.
     */
    @Test
    void decodeStackMatchesPerModuleDecodeSteps() {
        for (String name : List.of("llama_gqa_tied", "mistral_sliding")) {
            decodeStackMatchesPerModuleDecodeSteps(name);
        }
    }

    private static void decodeStackMatchesPerModuleDecodeSteps(String name) {
        try (CausalLM model = Models.load(Fixtures.dir(name), LoadOptions.cpu());
             NDManager s = model.manager().newSubManager()) {
            for (boolean padded : new boolean[] {false, true}) {
                try (KvCache stackCache = new KvCache(s, model.layers().size());
                     KvCache plainCache = new KvCache(s, model.layers().size())) {
                    int past = 0;
                    for (int t : new int[] {5, 1, 1, 1}) {
                        NDArray ids = s.randomInteger(3, 60, new Shape(2, t), DataType.INT64);
                        NDArray mask = null;
                        if (padded) {
                            // row 1's first two prompt tokens are padding
                            mask = s.ones(new Shape(2, past + t), DataType.INT64);
                            mask.set(new NDIndex("1, :2"), 0);
                        }
                        NDArray m = mask;
                        assertPassMatches(model, c -> ForwardArgs.ids(ids).attentionMask(m).cache(c), stackCache,
                                plainCache, name + ": " + t + " tokens after " + past + (padded ? ", padded" : ""));
                        past += t;
                    }
                    NDArray[][] stackKv = stackCache.buffers(2, model.config().numKvHeads(), model.config().headDim(),
                            DataType.FLOAT32, past);
                    NDArray[][] plainKv = plainCache.buffers(2, model.config().numKvHeads(), model.config().headDim(),
                            DataType.FLOAT32, past);
                    NDIndex filled = new NDIndex(":, :, :{}", past);
                    assertArrayEquals(plainKv[0][1].get(filled).toFloatArray(), stackKv[0][1].get(filled)
                            .toFloatArray(), 2e-6f, name + ": layer 1's keys");
                }
            }
        }
    }

    /**
     * Tokens packed side by side after a cache, as the label scorer feeds them (a key mask and explicit positions), run
     * as one call for all layers: the per-module path's logits.
     */
    @Test
    void decodeStackWithAKeyMaskOverACacheMatchesPerModule() {
        try (CausalLM model = Models.load(Fixtures.dir("llama_gqa_tied"), LoadOptions.cpu());
             NDManager s = model.manager().newSubManager();
             KvCache stackCache = new KvCache(s, model.layers().size());
             KvCache plainCache = new KvCache(s, model.layers().size())) {
            // a 5-token prompt (row 1 left-padded by 2), then 3 new tokens: row 0 packs two continuations side by side
            // (tokens 5 | 6, 7), row 1 continues causally
            int[] pad = {0, 2};
            long[][] positions = {{0, 1, 2, 3, 4, 0, 0, 0, 1, 2}, {5, 5, 6, 3, 4, 5}};
            int past = 0;
            for (int step = 0; step < 2; step++) {
                int t = step == 0 ? 5 : 3;
                int keys = past + t;
                boolean[] visible = new boolean[2 * t * keys];
                for (int r = 0; r < 2; r++) {
                    for (int i = 0; i < t; i++) {
                        for (int k = 0; k < keys; k++) {
                            visible[(r * t + i) * keys + k] = seen(r, past + i, k, pad[r]);
                        }
                    }
                }
                NDArray ids = s.randomInteger(3, 60, new Shape(2, t), DataType.INT64);
                NDArray pos = s.create(positions[step], new Shape(2, t));
                NDArray keyMask = s.create(visible, new Shape(2, t, keys));
                assertPassMatches(model, c -> ForwardArgs.ids(ids).positionIds(pos).keyMask(keyMask).cache(c),
                        stackCache, plainCache, t + " packed tokens after " + past);
                past += t;
            }
        }
    }

    /**
     * A left-padded prompt encoded for its cache and its next token alone ({@link ForwardArgs#lastPositionOnly}, the
     * label scorer's prompt pass): the whole pass's last position, in one call and module by module, and a cache from
     * which the next step's logits are the whole pass's.
     */
    @Test
    void lastPositionOnlyGivesTheWholePassesLastPositionAndCache() {
        try (CausalLM model = Models.load(Fixtures.dir("llama_gqa_tied"), LoadOptions.cpu());
             NDManager s = model.manager().newSubManager();
             KvCache wholeCache = new KvCache(s, model.layers().size());
             KvCache lastCache = new KvCache(s, model.layers().size());
             KvCache plainCache = new KvCache(s, model.layers().size())) {
            NDArray ids = s.randomInteger(3, 60, new Shape(2, 5), DataType.INT64);
            NDArray mask = s.ones(new Shape(2, 5), DataType.INT64);
            mask.set(new NDIndex("1, :2"), 0);
            NDArray whole = model.forward(ForwardArgs.ids(ids).attentionMask(mask).cache(wholeCache)).get(":, -1:");
            NDArray last = model.forward(ForwardArgs.ids(ids).attentionMask(mask).cache(lastCache)
                    .lastPositionOnly(true));
            assertArrayEquals(whole.toFloatArray(), last.toFloatArray(), 2e-5f, "in one call");
            Linear q = (Linear) model.module("model.layers.1.self_attn.q_proj");
            q.hooks().add("identity", (out, x) -> out);   // not a low-rank hook: per-module path
            try {
                NDArray plain = model.forward(ForwardArgs.ids(ids).attentionMask(mask).cache(plainCache)
                        .lastPositionOnly(true));
                assertArrayEquals(whole.toFloatArray(), plain.toFloatArray(), 2e-5f, "module by module");
            } finally {
                q.hooks().remove("identity");
            }
            NDArray next = s.create(new long[] {7, 9}, new Shape(2, 1));
            NDArray nextMask = mask.concat(s.ones(new Shape(2, 1), DataType.INT64), 1);
            assertArrayEquals(model.forward(ForwardArgs.ids(next).attentionMask(nextMask).cache(wholeCache))
                    .toFloatArray(), model.forward(ForwardArgs.ids(next).attentionMask(nextMask).cache(lastCache))
                    .toFloatArray(), 2e-5f, "the next step over each cache");
        }
    }

    /**
     * The logits of one pass over {@code stackCache} (all layers as one call) equal those of the same pass over
     * {@code plainCache} with a plain hook on a Linear, which makes every layer run module by module.
     */
    private static void assertPassMatches(CausalLM model, Function<KvCache, ForwardArgs> pass, KvCache stackCache,
                                          KvCache plainCache, String what) {
        LlamaForCausalLM.Layer layer = (LlamaForCausalLM.Layer) model.layers().get(1);
        Linear q = (Linear) model.module("model.layers.1.self_attn.q_proj");
        assertTrue(layer.addStackInputs(new ArrayList<>(), new ArrayList<>()), "one call for all: " + what);
        NDArray stacked = model.forward(pass.apply(stackCache));
        q.hooks().add("identity", (out, x) -> out);   // not a low-rank hook: per-module path
        try {
            assertFalse(layer.addStackInputs(new ArrayList<>(), new ArrayList<>()), "module by module: " + what);
            NDArray perModule = model.forward(pass.apply(plainCache));
            assertArrayEquals(perModule.toFloatArray(), stacked.toFloatArray(), 2e-5f, what);
        } finally {
            q.hooks().remove("identity");
        }
    }

    /**
     * Generation while gradients are recorded (a GradientCollector open, trainable LoRA weights) runs the same one call
     * for all layers (without autograd) and decodes what it decodes outside.
     */
    @Test
    void decodeStackRunsWhileGradientsAreRecorded() {
        try (CausalLM model = Models.load(Fixtures.dir("llama_gqa_tied"), LoadOptions.cpu());
             NDManager s = model.manager().newSubManager()) {
            PeftModel peft = new PeftModel(model);
            peft.add("default", new LoraConfig(4, 8, TargetModules.of("q_proj", "v_proj", "down_proj")), 7);
            for (Parameter p : peft.trainableParameters()) {
                p.array().set(new NDIndex("..."), s.randomNormal(0, 0.1f, p.shape(), DataType.FLOAT32));
            }
            long[] prompt = {5, 9, 13, 17};
            long[] outside = peft.generator().generate(prompt, 6, List.of());
            long[] inside;
            try (GradientCollector ignored = Engine.getInstance().newGradientCollector()) {
                inside = peft.generator().generate(prompt, 6, List.of());
            }
            assertArrayEquals(outside, inside);
        }
    }

    /** Whether token {@code query} of row {@code r} sees key {@code k} in the key-mask test above. */
    private static boolean seen(int r, int query, int k, int pad) {
        if (k < pad || k > query) {
            return false;
        }
        if (k < 5 || r == 1) {
            return true; // the prompt, and row 1's causal continuation
        }
        return query == 5 ? k == 5 : k >= 6; // row 0: token 5 on its own, tokens 6 and 7 together
    }

    @Test
    void loraInsideTheFusedLayerMatchesPerTargetHooks() {
        // all seven targets; then q and v only (k's empty slot in the joint q/k/v update); then MLP only
        for (List<String> targets : List.of(List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj",
                "down_proj"), List.of("q_proj", "v_proj"), List.of("down_proj"))) {
            try (CausalLM model = Models.load(Fixtures.dir("llama_gqa_tied"), LoadOptions.cpu());
                 NDManager s = model.manager().newSubManager()) {
                PeftModel peft = new PeftModel(model);
                peft.add("default", new LoraConfig(4, 8, TargetModules.of(targets.toArray(String[]::new))), 7);
                List<Parameter> params = peft.trainableParameters();
                for (Parameter p : params) {
                    p.array().set(new NDIndex("..."), model.manager().randomNormal(0, 0.1f, p.shape(), DataType.FLOAT32));
                }
                NDArray ids = s.create(new long[] {5, 9, 13, 17, 21, 25, 7, 11}, new Shape(2, 4));
                float[][] fused = lossAndGrads(params, s, () -> peft.forward(ForwardArgs.ids(ids)), ids);
                float[][] hooks = lossAndGrads(params, s, () -> model.forward(ForwardArgs.ids(ids)), ids);
                for (int i = 0; i < fused.length; i++) {
                    assertArrayEquals(hooks[i], fused[i], 2e-5f, targets + (i == 0 ? " loss" : " grad "
                            + params.get(i - 1).name()));
                }
            }
        }
    }

    /** The loss, then each parameter's gradient. */
    private static float[][] lossAndGrads(List<Parameter> params, NDManager s, Supplier<NDArray> logits, NDArray ids) {
        try (GradientCollector ignored = Engine.getInstance().newGradientCollector()) {
            NDArray loss = CausalLmLoss.compute(logits.get(), ids).sum();
            List<NDArray> grads = Kernels.gradients(loss, params.stream().map(Parameter::array).toList(), s);
            float[][] out = new float[params.size() + 1][];
            out[0] = new float[] {loss.getFloat()};
            for (int i = 0; i < params.size(); i++) {
                out[i + 1] = grads.get(i).toFloatArray();
            }
            return out;
        }
    }

    @Test
    void perModuleWeightsAreViewsOfTheFusedOne() {
        try (CausalLM model = Models.load(Fixtures.dir("llama_gqa_tied"), LoadOptions.cpu());
             NDManager s = model.manager().newSubManager()) {
            Linear k = (Linear) model.module("model.layers.0.self_attn.k_proj");
            NDArray ids = s.create(new long[] {5, 9, 13, 17}, new Shape(1, 4));
            float before = model.forward(ids).sum().getFloat();
            // an in-place change of one module's weight (what a LoRA merge does) reaches the fused matmul
            k.weight().array().addi(s.ones(k.weight().shape()));
            float after = model.forward(ids).sum().getFloat();
            assertNotEquals(before, after, "the fused matmul saw the change");
        }
    }
}
