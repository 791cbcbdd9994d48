package io.peftflow.inference.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.peftflow.core.generation.SampledGenerator;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.model.Models;
import io.peftflow.core.scoring.LabelSet;
import io.peftflow.core.tiny.TinyModel;
import io.peftflow.core.tokenizer.Tokenizer;
import io.peftflow.core.tuners.Inits;
import io.peftflow.core.tuners.PeftModel;
import io.peftflow.core.tuners.TargetModules;
import io.peftflow.core.tuners.bottleneck.BottleneckConfig;
import io.peftflow.core.tuners.lora.LoraConfig;
import io.peftflow.data.PromptTemplate;
import io.peftflow.inference.registry.ServedStack;
import io.peftflow.inference.registry.ServedVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service's decoding batch on generated tiny weights: completions submitted together (two LoRA versions and a
 * bottleneck version, greedy and seeded sampling, a stop sequence, budgets that end rows at different steps) answer
 * exactly as each submitted alone, and a cancelled one leaves early without disturbing the others.
 */
class BatchedCompletionsTest {
    private static final LabelSet LABELS = new LabelSet(PromptTemplate.RAW, " ", List.of("groceries", "travel"));

    @TempDir
    Path tmp;

    private record Ask(ModelFiles.StagedStack adapter, String prompt, int maxTokens, double temperature, double topP,
                       long seed, List<String> stop) {
    }

    @Test
    void completionsDecodedTogetherAnswerAsEachAlone() throws Exception {
        Path dir = TinyModel.write(tmp.resolve("tiny"));
        try (CausalLM model = Models.load(dir, LoadOptions.cpu()); NDManager m = model.manager().newSubManager()) {
            PeftModel peft = new PeftModel(model);
            peft.add("fr", new LoraConfig(4, 8, TargetModules.of("q_proj", "v_proj")), 1);
            peft.add("shop", new LoraConfig(8, 16, TargetModules.of("q_proj", "k_proj", "o_proj")), 2);
            peft.add("seq", BottleneckConfig.seqBn(), 3);
            long seed = 100;
            for (String a : List.of("fr", "shop", "seq")) {
                for (var p : peft.adapter(a).parameters().values()) {
                    var old = p.array();
                    Inits.normal(p, m, seed++, p.name(), 0.2);
                    old.close();
                }
                peft.save(a, tmp.resolve(a), "tiny-llama");
            }
        }
        ModelFiles.StagedStack fr = stack("fr", "lora");
        ModelFiles.StagedStack shop = stack("shop", "lora");
        ModelFiles.StagedStack seq = stack("seq", "seq_bn");
        List<Ask> asks = new ArrayList<>();
        String[] prompts = {"Transaction: FRESHMART 12.40", "Transaction: DELTA AIR 0062 to Paris", "ATM FEE",
            "Card payment at the corner shop on Monday"};
        for (int i = 0; i < 10; i++) {
            ModelFiles.StagedStack adapter = i % 5 == 4 ? seq : i % 2 == 0 ? fr : shop;
            asks.add(new Ask(adapter, prompts[i % prompts.length], 4 + i * 3 % 13, i % 3 == 0 ? 0 : 0.9,
                    i % 4 == 1 ? 0.8 : 1, 7 + i, List.of()));
        }
        try (LoadedBase base = new LoadedBase("tiny-llama", dir, LoadOptions.cpu(), 1L << 30, 32, Duration.ZERO, 1, 8,
                Duration.ofMillis(50), Duration.ZERO);
             Tokenizer tok = Tokenizer.load(dir)) {
            List<String> alone = new ArrayList<>();
            for (Ask a : asks) {
                alone.add(answer(start(base, tok, a)));
            }
            // a stop sequence: a piece of the seeded row 1's answer, which then ends right before it
            String one = alone.get(1).substring(alone.get(1).indexOf(' ') + 1);
            String stop = one.substring(3, 6);
            Ask a1 = asks.get(1);
            asks.add(new Ask(a1.adapter(), a1.prompt(), a1.maxTokens(), a1.temperature(), a1.topP(), a1.seed(),
                    List.of(stop)));
            alone.add(answer(start(base, tok, asks.get(asks.size() - 1))));
            assertEquals("stop " + one.substring(0, one.indexOf(stop)), alone.get(asks.size() - 1));

            // all at once, behind a long cancelled one
            Completer.Generation cancelled = start(base, tok, new Ask(fr, prompts[0], 400, 1.5, 1, 1, List.of()));
            List<Completer.Generation> together = new ArrayList<>();
            for (Ask a : asks) {
                together.add(start(base, tok, a));
            }
            cancelled.cancel();
            List<String> got = new ArrayList<>();
            for (Completer.Generation g : together) {
                got.add(answer(g));
            }
            assertEquals(alone, got);
            cancelled.text(() -> false);
            assertTrue(cancelled.completionTokens() < 400, cancelled.completionTokens() + " tokens");
        }
    }

    private static Completer.Generation start(LoadedBase base, Tokenizer tok, Ask a) {
        long[] ids = tok.encodePrompt(a.prompt());
        Completer.Generation g = new Completer.Generation(a.adapter().version(), ids.length, tok, a.stop());
        base.generate(new Decoder.Request(a.adapter(), ids, a.maxTokens(),
                new SampledGenerator.Sampling(a.temperature(), a.topP(), a.seed()), tok.stopIds(), g, System.nanoTime()));
        return g;
    }

    private static String answer(Completer.Generation g) throws InterruptedException {
        String text = g.text(() -> false);
        return g.finishReason() + " " + text;
    }

    private ModelFiles.StagedStack stack(String adapter, String method) {
        ServedVersion v = new ServedVersion("t", adapter, 1, method, "tiny-llama", List.of());
        ModelFiles.StagedAdapter staged = new ModelFiles.StagedAdapter(v, tmp.resolve(adapter), LABELS, 10_000);
        return new ModelFiles.StagedStack(ServedStack.of(List.of(v)), List.of(staged));
    }
}
