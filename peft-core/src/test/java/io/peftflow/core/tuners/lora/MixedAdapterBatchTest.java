package io.peftflow.core.tuners.lora;

import static io.peftflow.core.tuners.TunerTesting.maxAbsDiff;
import static io.peftflow.core.tuners.TunerTesting.randomize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.ForwardArgs;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.model.Models;
import io.peftflow.core.scoring.LabelScorer;
import io.peftflow.core.scoring.LabelSet;
import io.peftflow.core.tiny.TinyModel;
import io.peftflow.core.tokenizer.Tokenizer;
import io.peftflow.core.tuners.PeftModel;
import io.peftflow.core.tuners.TargetModules;
import io.peftflow.core.tuners.bottleneck.BottleneckConfig;
import io.peftflow.data.PromptTemplate;
import io.peftflow.data.Turn;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch whose rows use different LoRA adapters (different ranks, scalings and target modules) gives every row
 * what a pass through its adapter alone gives: the logits, and each row's label scores over its own label set.
 */
class MixedAdapterBatchTest {
    private static final List<String> ADAPTERS = List.of("fr", "shop", "cards");

    @Test
    void mixedRowsEqualOneAdapterAtATime(@TempDir Path tmp) {
        Path dir = TinyModel.write(tmp.resolve("tiny"));
        try (CausalLM model = Models.load(dir, LoadOptions.cpu()); Tokenizer tok = Tokenizer.load(dir);
             NDManager m = model.manager().newSubManager()) {
            PeftModel peft = new PeftModel(model);
            peft.add("fr", new LoraConfig(4, 8, TargetModules.of("q_proj", "v_proj")), 1);
            peft.add("shop", new LoraConfig(8, 16, TargetModules.of("q_proj", "k_proj", "o_proj", "down_proj")), 2);
            peft.add("cards", new LoraConfig(2, 4, TargetModules.allLinear()), 3);
            long seed = 10;
            for (String a : ADAPTERS) {
                for (var p : peft.adapter(a).parameters().values()) {
                    randomize(p, m, seed++, 0.05);
                }
            }
            Map<String, LabelSet> labels = Map.of(
                    "fr", new LabelSet(PromptTemplate.RAW, " ", List.of("oui", "non")),
                    "shop", new LabelSet(PromptTemplate.RAW, " ", List.of("groceries", "travel", "dining out")),
                    "cards", new LabelSet(PromptTemplate.RAW, " ", List.of("fee", "refund", "atm", "transfer", "other")));
            List<String> inputs = List.of("Transaction: STARBUCKS #12 SEATTLE WA 4.75\nCategory:",
                    "Transaction: UBER\nCategory:", "Bonjour, ma carte ne marche pas", "ATM withdrawal 40.00",
                    "Transaction: DELTA AIR 0062\nCategory:");
            int[] adapterOfRow = {0, 1, 2, 0, 1};

            // logits: one mixed forward (every row cut to the shortest) against one forward per row through its adapter alone
            long[][] ids = new long[inputs.size()][];
            int width = Integer.MAX_VALUE;
            for (int r = 0; r < ids.length; r++) {
                ids[r] = tok.encode(inputs.get(r));
                width = Math.min(width, ids[r].length);
            }
            long[] flat = new long[ids.length * width];
            for (int r = 0; r < ids.length; r++) {
                System.arraycopy(ids[r], 0, flat, r * width, width);
            }
            float[] mixed;
            try (RowLora rows = RowLora.attach(peft, ADAPTERS); NDManager s = m.newSubManager()) {
                rows.rows(adapterOfRow);
                mixed = model.forward(ForwardArgs.ids(s.create(flat, new Shape(ids.length, width)))).toFloatArray();
            }
            int per = mixed.length / ids.length;
            for (int r = 0; r < ids.length; r++) {
                peft.setActive(ADAPTERS.get(adapterOfRow[r]));
                long[] row = new long[width];
                System.arraycopy(flat, r * width, row, 0, width);
                try (NDManager s = m.newSubManager()) {
                    float[] alone = model.forward(ForwardArgs.ids(s.create(row, new Shape(1, width)))).toFloatArray();
                    float[] mine = new float[per];
                    System.arraycopy(mixed, r * per, mine, 0, per);
                    assertTrue(maxAbsDiff(alone, mine) < 1e-4, "row " + r + ": " + maxAbsDiff(alone, mine));
                }
            }

            // label scores: one mixed pass, each prompt over its adapter's own labels
            List<LabelScorer.Query> queries = new ArrayList<>();
            for (int r = 0; r < inputs.size(); r++) {
                LabelSet set = labels.get(ADAPTERS.get(adapterOfRow[r]));
                queries.add(new LabelScorer.Query(set.promptIds(tok, List.of(new Turn(Turn.USER, inputs.get(r)))),
                        set.continuations(tok), adapterOfRow[r]));
            }
            peft.setActive("fr");
            double[][] together;
            try (RowLora rows = RowLora.attach(peft, ADAPTERS)) {
                together = LabelScorer.logLikelihoods(peft, queries, rows);
            }
            assertEquals(List.of("fr"), peft.activeAdapters(), "closing restores the active set");
            for (int r = 0; r < inputs.size(); r++) {
                String adapter = ADAPTERS.get(adapterOfRow[r]);
                peft.setActive(adapter);
                double[] alone = new LabelScorer(peft, labels.get(adapter).continuations(tok))
                        .logLikelihoods(List.of(queries.get(r).prompt()))[0];
                assertEquals(alone.length, together[r].length);
                assertEquals(LabelScorer.best(alone), LabelScorer.best(together[r]), "row " + r);
                double[] pa = LabelScorer.probabilities(alone);
                double[] pt = LabelScorer.probabilities(together[r]);
                for (int l = 0; l < alone.length; l++) {
                    assertEquals(alone[l], together[r][l], 1e-3, "row " + r + " label " + l);
                    assertEquals(pa[l], pt[l], 1e-4, "row " + r + " label " + l);
                }
            }
        }
    }

    @Test
    void onlyLoraAdaptersMix(@TempDir Path tmp) {
        Path dir = TinyModel.write(tmp.resolve("tiny"));
        try (CausalLM model = Models.load(dir, LoadOptions.cpu())) {
            PeftModel peft = new PeftModel(model);
            peft.add("lora", new LoraConfig(4, 8, TargetModules.of("q_proj")), 1);
            peft.add("seq_bn", BottleneckConfig.seqBn(), 2);
            PeftCoreException e = assertThrows(PeftCoreException.class,
                    () -> RowLora.attach(peft, List.of("lora", "seq_bn")));
            assertTrue(e.getMessage().contains("seq_bn"), e.getMessage());
        }
    }
}
