package io.peftflow.core.tuners.prompt;

import static io.peftflow.core.tuners.TunerTesting.fixtureRow0;
import static io.peftflow.core.tuners.TunerTesting.floats;
import static io.peftflow.core.tuners.TunerTesting.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.peftflow.core.Fixtures;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.CausalLmLoss;
import io.peftflow.core.model.ForwardArgs;
import io.peftflow.core.model.KvCache;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.model.Models;
import io.peftflow.core.nn.Parameter;
import io.peftflow.core.tiny.TinyModel;
import io.peftflow.core.tokenizer.Tokenizer;
import io.peftflow.core.tuners.PeftModel;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptTuningTest {
    static final String LLAMA = "llama_gqa_tied";

    @TempDir
    Path tmp;

    /** PEFT's TEXT init: tokenizer(text) ids (BOS included), repeated and cut, their embedding rows. */
    @Test
    void textInitTakesTheEmbeddingsOfTheRepeatedText() {
        Path dir = TinyModel.write(tmp.resolve("tiny"));
        try (CausalLM model = Models.load(dir, LoadOptions.cpu()); Tokenizer tok = Tokenizer.load(dir)) {
            long[] textIds = tok.encode("Category:");
            assertEquals(1L, textIds[0], "BOS as PEFT's tokenizer call adds it");
            int n = textIds.length * 2 + 1;
            PromptTuningConfig config = PromptTuningConfig.fromText(n, "Category:", tok);
            long[] want = new long[n];
            for (int i = 0; i < n; i++) {
                want[i] = textIds[i % textIds.length];
            }
            assertArrayEquals(want, config.initIds());
            assertArrayEquals(Arrays.copyOf(textIds, 2), PromptTuningConfig.fromText(2, "Category:", tok).initIds(),
                    "truncated");
            PeftModel peft = new PeftModel(model);
            PromptTuningAdapter a = (PromptTuningAdapter) peft.add("p", config, 1);
            float[] rows = floats(model.manager(), s -> model.embed(s.create(want, new Shape(n))));
            assertEquals(0, maxAbsDiff(rows, a.embedding().array().toFloatArray()));
            assertEquals((long) n * TinyModel.HIDDEN, peft.trainableParameterCount());
        }
    }

    @Test
    void forwardPrependsVirtualTokensAndTheLossIgnoresThem() {
        try (CausalLM model = Models.load(Fixtures.dir(LLAMA), LoadOptions.cpu());
             NDManager s = model.manager().newSubManager()) {
            PeftModel peft = new PeftModel(model);
            PromptTuningAdapter a = (PromptTuningAdapter) peft.add("p", PromptTuningConfig.random(5), 1);
            float[] table = a.embedding().array().toFloatArray();
            double std = Math.sqrt(Arrays.stream(toDoubles(table)).map(v -> v * v).sum() / table.length);
            assertTrue(std > 0.8 && std < 1.2, "N(0, 1) as torch's nn.Embedding: std " + std);
            ForwardArgs args = fixtureRow0(LLAMA, s);
            NDArray logits = peft.forward(args);
            assertEquals(new Shape(1, 21, 256), logits.getShape());
            assertEquals(5, peft.virtualTokens());
            NDArray manual = model.forward(ForwardArgs.embeds(a.embedding().array().expandDims(0)
                    .concat(model.embed(args.inputIds()), 1)));
            // not bit-equal: one side may attend with a mask (K/V repeated), the other without (grouped heads in SDPA)
            assertEquals(0, maxAbsDiff(logits.toFloatArray(), manual.toFloatArray()), 1e-5);

            NDArray labels = args.inputIds().duplicate();
            labels.set(new ai.djl.ndarray.index.NDIndex(":, 0"), CausalLmLoss.IGNORE_INDEX);
            CausalLmLoss.Result got = peft.loss(args, labels);
            CausalLmLoss.Result onReal = CausalLmLoss.compute(logits.get(":, 5:, :"), labels);
            assertEquals(15, got.count(), "16 tokens, the first unlabelled: virtual positions add none");
            assertEquals(onReal.mean().getFloat(), got.mean().getFloat(), 1e-6);
        }
    }

    /** Left padding: the padded row's real tokens equal the same tokens alone, virtual tokens in front of both. */
    @Test
    void paddedBatchesMatchUnpaddedRows() {
        try (CausalLM model = Models.load(Fixtures.dir(LLAMA), LoadOptions.cpu());
             NDManager s = model.manager().newSubManager()) {
            PeftModel peft = new PeftModel(model);
            peft.add("p", PromptTuningConfig.random(4), 1);
            long[] row = Fixtures.longs(Fixtures.expected(LLAMA).get("input_ids"))[0];
            long[] padded = new long[row.length + 3];
            long[] mask = new long[padded.length];
            System.arraycopy(row, 0, padded, 3, row.length);
            Arrays.fill(mask, 3, mask.length, 1);
            NDArray batch = peft.forward(ForwardArgs.ids(s.create(padded, new Shape(1, padded.length)))
                    .attentionMask(s.create(mask, new Shape(1, mask.length))));
            NDArray alone = peft.forward(ForwardArgs.ids(s.create(row, new Shape(1, row.length))));
            double d = maxAbsDiff(batch.get(":, 7:, :").toFloatArray(), alone.get(":, 4:, :").toFloatArray());
            assertTrue(d < 1e-4, "padded vs alone: " + d);
        }
    }

    /** KV-cached generation with the virtual tokens as a prefix equals greedy decoding by full recompute. */
    @Test
    void generatorKeepsTheVirtualTokensInTheCache() {
        try (CausalLM model = Models.load(Fixtures.dir(LLAMA), LoadOptions.cpu())) {
            PeftModel peft = new PeftModel(model);
            peft.add("p", PromptTuningConfig.random(4), 1);
            long[] prompt = Arrays.copyOf(Fixtures.longs(Fixtures.expected(LLAMA).get("input_ids"))[0], 6);
            long[] seq = prompt.clone();
            for (int i = 0; i < 5; i++) {
                long[] cur = seq;
                float[] last = floats(model.manager(), s -> peft.forward(ForwardArgs.ids(s.create(cur,
                        new Shape(1, cur.length)))).get(":, -1, :").argMax(-1).toType(DataType.FLOAT32, false));
                seq = Arrays.copyOf(seq, seq.length + 1);
                seq[seq.length - 1] = (long) last[0];
            }
            long[] want = Arrays.copyOfRange(seq, prompt.length, seq.length);
            assertArrayEquals(want, peft.generator().generate(prompt, 5, java.util.List.of()));
        }
    }

    @Test
    void gradientReachesOnlyThePromptAndSwitchingWorks() {
        try (CausalLM model = Models.load(Fixtures.dir(LLAMA), LoadOptions.cpu())) {
            PeftModel peft = new PeftModel(model);
            peft.add("p", PromptTuningConfig.random(3), 1);
            try (NDManager step = model.manager().newSubManager();
                 GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                ForwardArgs args = fixtureRow0(LLAMA, step);
                gc.backward(peft.loss(args, args.inputIds().toType(DataType.INT64, true)).mean());
            }
            for (Parameter p : peft.namedParameters().values()) {
                boolean grad = p.array().hasGradient() && p.array().getGradient().abs().max().getFloat() > 0;
                assertEquals(p.name().startsWith("prompt_encoder.p."), grad, p.name());
            }
            assertTrue(assertThrows(PeftCoreException.class, () -> peft.add("q", PromptTuningConfig.random(2), 1))
                    .getMessage().contains("only one prompt adapter"));
            peft.disable("p");
            peft.add("q", PromptTuningConfig.random(2), 1);
            assertEquals(2, peft.virtualTokens());
            assertThrows(PeftCoreException.class, () -> peft.enable("p"));
            peft.setActive("p");
            assertEquals(3, peft.virtualTokens());
            peft.setActive();
            assertEquals(0, peft.virtualTokens());
            try (NDManager s = model.manager().newSubManager()) {
                peft.setActive("p");
                ForwardArgs cached = fixtureRow0(LLAMA, s).cache(new KvCache(s, 2));
                assertThrows(PeftCoreException.class, () -> peft.forward(cached));
            }
        }
        assertThrows(PeftCoreException.class, () -> PromptTuningConfig.random(0));
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
