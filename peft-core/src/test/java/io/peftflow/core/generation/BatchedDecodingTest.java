package io.peftflow.core.generation;

import static io.peftflow.core.tuners.TunerTesting.randomize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.model.Models;
import io.peftflow.core.tiny.TinyModel;
import io.peftflow.core.tuners.PeftModel;
import io.peftflow.core.tuners.TargetModules;
import io.peftflow.core.tuners.lora.LoraConfig;
import io.peftflow.core.tuners.lora.RowLora;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batched greedy decoding (what the decode benchmark and a serving batch run) gives every row what decoding it alone
 * gives: padded and unpadded batches, rows stopping on their own, and rows through different LoRA adapters.
 */
class BatchedDecodingTest {
    static final List<String> ADAPTERS = List.of("fr", "shop", "cards");
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
    static PeftModel threeLoras(CausalLM model, NDManager m) {
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
}
