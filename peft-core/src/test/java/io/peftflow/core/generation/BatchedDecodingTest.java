package io.peftflow.core.generation;

import static io.peftflow.core.tuners.TunerTesting.randomize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.model.Models;
import io.peftflow.core.nn.Linear;
import io.peftflow.core.tiny.TinyModel;
import io.peftflow.core.tuners.PeftModel;
import io.peftflow.core.tuners.TargetModules;
import io.peftflow.core.tuners.lora.LoraConfig;
import io.peftflow.core.tuners.lora.RowLora;
import io.peftflow.core.tuners.prompt.PromptTuningConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batched greedy decoding (what the decode benchmark and a serving batch run) gives every row what decoding it alone
 * gives: padded and unpadded batches, rows stopping on their own, and rows through different LoRA adapters. So does
 * continuous batching ({@link DecodingBatch}): sequences that join at different steps (ragged prompts, each through its
 * own LoRA adapter, greedy and seeded sampling, a stop token, a budget, a cancel), and rows of one prompt-tuning
 * adapter, whose virtual tokens sit in every row's cache.
 */
class BatchedDecodingTest {
    private static final List<String> ADAPTERS = List.of("fr", "shop", "cards");
    private static final int NEW = 12;

    @TempDir
    static Path tmp;
    private static Path dir;

    @BeforeAll
    static void writeModel() {
        dir = TinyModel.write(tmp.resolve("tiny"));
    }

    private static List<long[]> prompts(int n, int length, boolean ragged) {
        List<long[]> out = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            long[] p = new long[ragged ? length - r % 3 * 2 : length];
            for (int i = 0; i < p.length; i++) {
                p[i] = 8 + (r * 131L + i * 31L) % 900;
            }
            out.add(p);
        }
        return out;
    }

    private static List<long[]> oneAtATime(GreedyGenerator g, List<long[]> prompts, List<Long> stop) {
        return prompts.stream().map(p -> g.generate(p, NEW, stop)).toList();
    }

    @Test
    void batchEqualsOneAtATime() {
        try (CausalLM model = Models.load(dir, LoadOptions.cpu())) {
            GreedyGenerator g = new GreedyGenerator(model);
            for (boolean ragged : new boolean[] {false, true}) {
                List<long[]> prompts = prompts(5, 9, ragged);
                List<long[]> want = oneAtATime(g, prompts, List.of());
                List<long[]> got = g.generate(prompts, NEW, List.of());
                for (int r = 0; r < prompts.size(); r++) {
                    assertEquals(NEW, got.get(r).length, "fixed output length");
                    assertArrayEquals(want.get(r), got.get(r), "row " + r + (ragged ? " (padded)" : ""));
                }
                // rows stop on their own at a stop id (kept), although tokens are read back in chunks
                long stopId = want.get(1)[2];
                List<long[]> stopped = g.generate(prompts, NEW, List.of(stopId));
                for (int r = 0; r < prompts.size(); r++) {
                    long[] full = want.get(r);
                    int end = 0;
                    while (end < full.length && full[end++] != stopId) {
                        // up to and including the first stop id
                    }
                    assertArrayEquals(Arrays.copyOf(full, end), stopped.get(r), "row " + r + " stopping");
                }
            }
        }
    }

    /** Sampling at temperature 0 (the completions path) decodes what greedy decoding does, through an adapter. */
    @Test
    void sampledAtTemperatureZeroEqualsGreedy() {
        try (CausalLM model = Models.load(dir, LoadOptions.cpu()); NDManager m = model.manager().newSubManager()) {
            PeftModel peft = new PeftModel(model);
            peft.add("fr", new LoraConfig(4, 8, TargetModules.of("q_proj", "v_proj")), 1);
            long seed = 20;
            for (var p : peft.adapter("fr").parameters().values()) {
                randomize(p, m, seed++, 0.2);
            }
            SampledGenerator sampled = new SampledGenerator(peft);
            for (long[] prompt : prompts(3, 9, true)) {
                List<Long> got = new ArrayList<>();
                sampled.generate(prompt, NEW, new SampledGenerator.Sampling(0, 1, 0), List.of(), got::add);
                assertArrayEquals(peft.generator().generate(prompt, NEW, List.of()),
                        got.stream().mapToLong(Long::longValue).toArray());
            }
        }
    }

    /** {@link #ADAPTERS} on {@code model}: LoRA of ranks 4, 8 and 2 on different targets, random weights. */
    private static PeftModel threeLoras(CausalLM model, NDManager m) {
        PeftModel peft = new PeftModel(model);
        peft.add("fr", new LoraConfig(4, 8, TargetModules.of("q_proj", "v_proj")), 1);
        peft.add("shop", new LoraConfig(8, 16, TargetModules.of("q_proj", "k_proj", "v_proj", "o_proj")), 2);
        peft.add("cards", new LoraConfig(2, 4, TargetModules.allLinear()), 3);
        long seed = 10;
        for (String a : ADAPTERS) {
            for (var p : peft.adapter(a).parameters().values()) {
                randomize(p, m, seed++, 0.2);
            }
        }
        return peft;
    }

    @Test
    void mixedAdapterRowsEqualOneAdapterAtATime() {
        try (CausalLM model = Models.load(dir, LoadOptions.cpu()); NDManager m = model.manager().newSubManager()) {
            PeftModel peft = threeLoras(model, m);
            int[] adapterOfRow = {0, 1, 2, 2, 1, 0};
            // through the adapters' per-pass preparation: unpadded batches run the fused layer kernel, with the rows'
            // pairs in it; padded ones the per-module path with the rows' hooks
            GreedyGenerator g = peft.generator();
            boolean adaptersDiffer = false;
            for (boolean ragged : new boolean[] {false, true}) {
                List<long[]> prompts = prompts(6, 9, ragged);
                List<long[]> mixed;
                List<long[]> allFr;
                try (RowLora rows = RowLora.attach(peft, ADAPTERS)) {
                    rows.rows(adapterOfRow);
                    mixed = g.generate(prompts, NEW, List.of());
                    // every row through one adapter: its pair for the whole batch instead of one per row
                    rows.rows(new int[prompts.size()]);
                    allFr = g.generate(prompts, NEW, List.of());
                }
                peft.setActive("fr");
                List<long[]> frAlone = g.generate(prompts, NEW, List.of());
                for (int r = 0; r < prompts.size(); r++) {
                    assertArrayEquals(frAlone.get(r), allFr.get(r), "row " + r + " all through fr");
                    String adapter = ADAPTERS.get(adapterOfRow[r]);
                    peft.setActive(adapter);
                    long[] alone = g.generate(prompts.get(r), NEW, List.of());
                    assertArrayEquals(alone, mixed.get(r), "row " + r + " through " + adapter
                            + (ragged ? " (padded)" : ""));
                    peft.setActive();
                    adaptersDiffer |= !Arrays.equals(alone, g.generate(prompts.get(r), NEW, List.of()));
                }
            }
            assertTrue(adaptersDiffer, "the adapters change the tokens, so the comparison means something");
        }
    }

    /** A sequence to decode: joins before step {@code joinAt}; {@code cancelAfter} tokens at most are accepted. */
    private record Spec(long[] prompt, int adapter, SampledGenerator.Sampling sampling, int maxNew, List<Long> stop,
                        int joinAt, int cancelAfter) {
    }

    /** What a sequence received. */
    private static final class Received implements DecodingBatch.Sequence {
        final List<Long> tokens = new ArrayList<>();
        final int cancelAfter;
        SampledGenerator.Finish finish;

        Received(int cancelAfter) {
            this.cancelAfter = cancelAfter;
        }

        @Override
        public boolean accept(long token) {
            tokens.add(token);
            return tokens.size() < cancelAfter;
        }

        @Override
        public void finished(SampledGenerator.Finish why) {
            finish = why;
        }

        @Override
        public void failed(RuntimeException e) {
            throw e;
        }

        @Override
        public String toString() {
            return finish + " " + tokens;
        }
    }

    private static long[] prompt(int r, int length) {
        long[] p = new long[length];
        for (int i = 0; i < p.length; i++) {
            p[i] = 8 + (r * 131L + i * 31L) % 900;
        }
        return p;
    }

    private static List<Spec> specs(int adapters) {
        SampledGenerator.Sampling greedy = new SampledGenerator.Sampling(0, 1, 0);
        List<Spec> specs = new ArrayList<>();
        for (int r = 0; r < 8; r++) {
            SampledGenerator.Sampling sampling = r % 3 == 0 ? greedy
                    : new SampledGenerator.Sampling(r % 3 == 1 ? 0.8 : 1.3, r % 2 == 0 ? 0.9 : 1.0, 1000 + r);
            specs.add(new Spec(prompt(r, 5 + r * 3 % 11), r % adapters, sampling, 6 + r % 4 * 3, List.of(),
                    r / 2 * 2, r == 5 ? 3 : Integer.MAX_VALUE));
        }
        return specs;
    }

    private static String alone(PeftModel peft, Spec spec) {
        Received got = new Received(spec.cancelAfter());
        got.finish = new SampledGenerator(peft).generate(spec.prompt(), spec.maxNew(), spec.sampling(), spec.stop(),
                got::accept);
        return got.toString();
    }

    /** Runs the specs through one batch, each joining before its step; their outputs in order. */
    private static List<String> batched(DecodingBatch batch, List<Spec> specs) {
        Received[] received = new Received[specs.size()];
        int joined = 0;
        int maxRows = 0;
        for (int step = 0; joined < specs.size() || !batch.isEmpty(); step++) {
            for (int i = 0; i < specs.size(); i++) {
                Spec s = specs.get(i);
                if (s.joinAt() == step) {
                    received[i] = new Received(s.cancelAfter());
                    joined++;
                    batch.join(s.prompt(), s.maxNew(), s.sampling(), s.stop(), s.adapter(), received[i]);
                }
            }
            maxRows = Math.max(maxRows, batch.size());
            batch.step();
        }
        assertTrue(maxRows >= 4, "rows overlapped: " + maxRows);
        return List.of(received).stream().map(Received::toString).toList();
    }

    @Test
    void rowsJoiningAndLeavingThroughTheirOwnLoraDecodeAsAlone() {
        try (CausalLM model = Models.load(dir, LoadOptions.cpu()); NDManager m = model.manager().newSubManager()) {
            PeftModel peft = threeLoras(model, m);
            List<Spec> specs = new ArrayList<>(specs(ADAPTERS.size()));
            // a stop token: the first new token in the seeded row 1's output after its first, given to a copy of row 1
            Spec s0 = specs.get(1);
            peft.setActive(ADAPTERS.get(s0.adapter()));
            List<Long> first = new ArrayList<>();
            new SampledGenerator(peft).generate(s0.prompt(), 12, s0.sampling(), List.of(), first::add);
            int at = 1;
            while (first.subList(0, at).contains(first.get(at))) {
                at++;
            }
            specs.add(new Spec(s0.prompt(), s0.adapter(), s0.sampling(), 12, List.of(first.get(at)), 1, Integer.MAX_VALUE));
            List<String> want = new ArrayList<>();
            for (Spec s : specs) {
                peft.setActive(ADAPTERS.get(s.adapter()));
                want.add(alone(peft, s));
            }
            assertEquals("STOP " + first.subList(0, at), want.get(specs.size() - 1));
            assertTrue(want.get(5).startsWith("STOP") && want.get(1).startsWith("LENGTH"), want.toString());
            peft.setActive();
            List<String> got;
            try (RowLora rows = RowLora.attach(peft, ADAPTERS); DecodingBatch batch = new DecodingBatch(peft)) {
                batch.rowLora(rows);
                got = batched(batch, specs);
            }
            assertEquals(want, got);
        }
    }

    /**
     * A decode pass runs every layer as one kernel call over the cache's buffers; with one Linear's plain hook it runs
     * layer by layer, module by module, concatenating nothing itself: both decode the same tokens while rows join
     * (left-padded, masked), leave and run through their own adapters.
     */
    @Test
    void wholeModelDecodeCallEqualsLayerByLayerWhileRowsJoinAndLeave() {
        try (CausalLM model = Models.load(dir, LoadOptions.cpu()); NDManager m = model.manager().newSubManager()) {
            PeftModel peft = threeLoras(model, m);
            List<Spec> specs = specs(ADAPTERS.size());
            List<String> stacked;
            List<String> layerByLayer;
            try (RowLora rows = RowLora.attach(peft, ADAPTERS)) {
                try (DecodingBatch batch = new DecodingBatch(peft)) {
                    batch.rowLora(rows);
                    stacked = batched(batch, specs);
                }
                Linear down = (Linear) model.module("model.layers.0.mlp.down_proj");
                down.hooks().add("identity", (out, x) -> out);
                try (DecodingBatch batch = new DecodingBatch(peft)) {
                    batch.rowLora(rows);
                    layerByLayer = batched(batch, specs);
                } finally {
                    down.hooks().remove("identity");
                }
            }
            assertEquals(layerByLayer, stacked);
        }
    }

    @Test
    void rowsOfAPromptTuningAdapterDecodeAsAlone() {
        try (CausalLM model = Models.load(dir, LoadOptions.cpu())) {
            PeftModel peft = new PeftModel(model);
            peft.add("p", PromptTuningConfig.random(4), 1);
            List<Spec> specs = specs(1);
            List<String> want = specs.stream().map(s -> alone(peft, s)).toList();
            try (DecodingBatch batch = new DecodingBatch(peft)) {
                assertEquals(want, batched(batch, specs));
            }
        }
    }
}
