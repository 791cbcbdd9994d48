package io.peftflow.core.model;

import static io.peftflow.core.tuners.TunerTesting.randomize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.peftflow.core.Fixtures;
import io.peftflow.core.generation.CollectedTokens;
import io.peftflow.core.generation.DecodingBatch;
import io.peftflow.core.generation.SampledGenerator;
import io.peftflow.core.nn.Kernels;
import io.peftflow.core.nn.Linear;
import io.peftflow.core.nn.LowRank;
import io.peftflow.core.nn.Scalars;
import io.peftflow.core.tuners.PeftModel;
import io.peftflow.core.tuners.TargetModules;
import io.peftflow.core.tuners.lora.LoraConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A layer's q/k/v LoRA pairs go to the decode stack stacked once per preparation ({@link LowRank.Packing}) instead of
 * being stacked on every layer and step: the same output. A decoding batch keeps its adapters' preparation across steps
 * while they stay the active ones, and prepares anew, decoding through the new weights, when another adapter (a
 * promoted version, a re-attached one) becomes active, mid-sequence too.
 */
class PackedQkvTest {
    private static final long[] PROMPT = {5, 17, 33, 2, 41, 8};
    private static final SampledGenerator.Sampling GREEDY = new SampledGenerator.Sampling(0, 1, 0);
    /** Tokens decoded before {@link #decode}'s switch. */
    private static final int SWITCH = 3;

    @Test
    void packedPairsGiveTheStackedPairsOutput() {
        try (CausalLM model = Models.load(Fixtures.dir("llama_gqa_tied"), LoadOptions.cpu());
             NDManager s = model.manager().newSubManager()) {
            PeftModel peft = new PeftModel(model);
            // q and v (k without a pair) in one adapter, o and down in another: the q/k/v stacking with a gap
            peft.add("qv", new LoraConfig(4, 8, TargetModules.of("q_proj", "v_proj", "o_proj")), 1);
            randomizeAll(peft, "qv", s, 30);
            peft.withActiveAdapters(s, () -> {
                List<NDArray> weights = new ArrayList<>();
                List<LowRank> packed = new ArrayList<>();
                for (DecoderLayer layer : model.layers()) {
                    assertTrue(((LlamaForCausalLM.Layer) layer).addStackInputs(weights, packed));
                }
                assertNotNull(packed.get(0).packing(), "the adapter's pairs come with a packing");
                List<LowRank> unpacked = packed.stream().map(u -> new LowRank(u.a(), u.scaledB())).toList();
                NDArray h = s.randomNormal(0, 1, new Shape(2, 5, model.config().hiddenSize()), DataType.FLOAT32);
                NDArray positions = s.arange(0, 5).toType(DataType.INT64, false).expandDims(0);
                NDArray[] cs = Rope.cosSin(positions, s.create(Rope.invFreq(model.config())), DataType.FLOAT32);
                // twice packed: the second call reuses the stacked pairs of the first
                float[][] outs = new float[3][];
                for (int run = 0; run < 3; run++) {
                    try (KvCache cache = new KvCache(s, model.layers().size())) {
                        NDArray[][] kv = cache.buffers(2, model.config().numKvHeads(), model.config().headDim(),
                                DataType.FLOAT32, 5);
                        outs[run] = Kernels.llamaDecodeStack(h, weights, run < 2 ? packed : unpacked,
                                Scalars.constant(h, (float) model.config().normEps()), cs[0], cs[1],
                                Arrays.asList(kv[0]), Arrays.asList(kv[1]), 0, null, null,
                                new boolean[model.layers().size()], false).toFloatArray();
                    }
                }
                assertArrayEquals(outs[2], outs[0], 1e-5f, "packed against stacked per call");
                assertArrayEquals(outs[0], outs[1], 0f, "the kept packing");
                return null;
            });
        }
    }

    @Test
    void aBatchKeepingItsPreparationDecodesThroughANewAdapter() {
        try (CausalLM model = Models.load(Fixtures.dir("llama_gqa_tied"), LoadOptions.cpu());
             NDManager s = model.manager().newSubManager()) {
            PeftModel peft = new PeftModel(model);
            LoraConfig config = new LoraConfig(4, 8, TargetModules.of("q_proj", "k_proj", "v_proj"));
            peft.add("v1", config, 1);
            randomizeAll(peft, "v1", s, 40);
            peft.add("v2", config, 2);
            randomizeAll(peft, "v2", s, 50);
            peft.setActive("v1");
            long[] v1 = alone(peft);
            peft.setActive("v2");
            long[] v2 = alone(peft);
            assertFalse(Arrays.equals(v1, v2), "the versions decode differently, so the check means something");

            Linear q = (Linear) model.module("model.layers.0.self_attn.q_proj");
            try (DecodingBatch batch = new DecodingBatch(peft)) {
                peft.setActive("v1");
                assertArrayEquals(v1, decode(batch, q, () -> { }), "v1");
                // another version active between two generations of the same batch
                peft.setActive("v2");
                assertArrayEquals(v2, decode(batch, q, () -> { }), "v2 after v1");
                // v2 promoted over v1 while a sequence decodes: the steps after it run through v2
                peft.setActive("v1");
                long[] switched = decode(batch, q, () -> peft.setActive("v2"));
                assertArrayEquals(Arrays.copyOf(v1, SWITCH), Arrays.copyOf(switched, SWITCH), "v1 before the switch");
                assertFalse(Arrays.equals(v1, switched), "v1's prepared pairs are not used after the switch");
                // v2 re-attached under its name with v1's weights (an evicted version loaded again) mid-sequence
                peft.setActive("v2");
                long[] reattached = decode(batch, q, () -> {
                    peft.remove("v2");
                    peft.add("v2", config, 1);
                    randomizeAll(peft, "v2", s, 40);
                    peft.setActive("v2");
                });
                assertArrayEquals(Arrays.copyOf(v2, SWITCH), Arrays.copyOf(reattached, SWITCH), "v2 before");
                assertFalse(Arrays.equals(v2, reattached), "the old v2's prepared pairs are not used after it");
            }
        }
    }

    /** What a fresh batch decodes greedily from {@link #PROMPT} through the active adapters. */
    private static long[] alone(PeftModel peft) {
        try (DecodingBatch batch = new DecodingBatch(peft)) {
            return decode(batch, null, () -> { });
        }
    }

    /**
     * Decodes greedily from {@link #PROMPT}, running {@code change} once {@link #SWITCH} tokens are out; between steps
     * the active adapter's pairs on {@code q} (if given) are prepared for the fused decode stack, not left to its
     * hooks' slow path.
     */
    private static long[] decode(DecodingBatch batch, Linear q, Runnable change) {
        CollectedTokens got = new CollectedTokens();
        batch.join(PROMPT, 8, GREEDY, List.of(), 0, got);
        while (!batch.isEmpty()) {
            if (got.size() == SWITCH) {
                change.run();
            }
            batch.step();
            if (q != null && !batch.isEmpty()) {
                assertNotNull(q.lowRank(), "prepared after " + got.size() + " tokens");
            }
        }
        return got.tokens();
    }

    private static void randomizeAll(PeftModel peft, String adapter, NDManager m, long seed) {
        for (var p : peft.adapter(adapter).parameters().values()) {
            randomize(p, m, seed++, 0.3);
        }
    }
}
