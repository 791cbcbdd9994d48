package io.peftflow.inference.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.model.Models;
import io.peftflow.core.scoring.LabelScorer;
import io.peftflow.core.scoring.LabelSet;
import io.peftflow.core.tiny.TinyModel;
import io.peftflow.core.tokenizer.Tokenizer;
import io.peftflow.core.tuners.Inits;
import io.peftflow.core.tuners.PeftModel;
import io.peftflow.core.tuners.TargetModules;
import io.peftflow.core.tuners.bottleneck.BottleneckConfig;
import io.peftflow.core.tuners.lora.LoraConfig;
import io.peftflow.data.PromptTemplate;
import io.peftflow.data.Turn;
import io.peftflow.inference.registry.ServedStack;
import io.peftflow.inference.registry.ServedVersion;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service's runtime on generated tiny weights: a stack {@code lang+domain} (LoRA, then a bottleneck adapter)
 * scores exactly as peft-core's stacked model with both adapters active, in that order; and
 * classify requests for different LoRA versions queued together answer as each version alone.
 */
class StackedAdaptersTest {
    private static final LabelSet LABELS = new LabelSet(PromptTemplate.RAW, " ", List.of("groceries", "travel", "fees"));
    private static final List<String> INPUTS = List.of("Transaction: FRESHMART 12.40\nCategory:",
            "Transaction: DELTA AIR 0062\nCategory:", "Transaction: ATM FEE\nCategory:");

    @TempDir
    Path tmp;

    @Test
    void aStackScoresAsPeftCoresStackedModelAndMixedVersionsAsEachAlone() throws Exception {
        Path dir = TinyModel.write(tmp.resolve("tiny"));
        double[][] stacked;
        double[][] lang;
        List<long[]> prompts;
        try (CausalLM model = Models.load(dir, LoadOptions.cpu()); Tokenizer tok = Tokenizer.load(dir);
             NDManager m = model.manager().newSubManager()) {
            PeftModel peft = new PeftModel(model);
            peft.add("lang", new LoraConfig(4, 8, TargetModules.of("q_proj", "v_proj")), 1);
            peft.add("domain", BottleneckConfig.seqBn(), 2);
            long seed = 100;
            for (String a : List.of("lang", "domain")) {
                for (var p : peft.adapter(a).parameters().values()) {
                    var old = p.array();
                    Inits.normal(p, m, seed++, p.name(), 0.05);
                    old.close();
                }
                peft.save(a, tmp.resolve(a), "tiny-llama");
            }
            prompts = INPUTS.stream().map(i -> LABELS.promptIds(tok, List.of(new Turn(Turn.USER, i)))).toList();
            stacked = new LabelScorer(peft, LABELS.continuations(tok)).logLikelihoods(prompts);
            peft.setActive("lang");
            lang = new LabelScorer(peft, LABELS.continuations(tok)).logLikelihoods(prompts);
        }
        ModelFiles.StagedAdapter langV1 = staged("lang", 1, "lora");
        ModelFiles.StagedAdapter domainV1 = staged("domain", 1, "seq_bn");
        try (LoadedBase base = new LoadedBase("tiny-llama", dir, LoadOptions.cpu(), 1L << 30, 32,
                java.time.Duration.ZERO, 1, 32, java.time.Duration.ZERO, java.time.Duration.ZERO)) {
            double[][] served = Futures.await(base.classify(stack(langV1, domainV1), prompts));
            assertClose(stacked, served);

            // the same LoRA weights as a second version, queued together (one mixed pass if the second is queued
            // before the first is taken): both answer as alone
            ModelFiles.StagedAdapter langV2 = staged("lang", 2, "lora");
            var first = base.classify(stack(langV1), prompts);
            var second = base.classify(stack(langV2), prompts.subList(0, 2));
            assertClose(lang, Futures.await(first));
            assertClose(lang, prompts.subList(0, 2).size(), Futures.await(second));
        }
    }

    private ModelFiles.StagedAdapter staged(String adapter, int version, String method) {
        ServedVersion v = new ServedVersion("t", adapter, version, method, "tiny-llama", List.of());
        return new ModelFiles.StagedAdapter(v, tmp.resolve(adapter), LABELS, 10_000);
    }

    private static ModelFiles.StagedStack stack(ModelFiles.StagedAdapter... layers) {
        return new ModelFiles.StagedStack(ServedStack.of(List.of(layers).stream().map(ModelFiles.StagedAdapter::version)
                .toList()), List.of(layers));
    }

    private static void assertClose(double[][] expected, double[][] actual) {
        assertClose(expected, expected.length, actual);
    }

    private static void assertClose(double[][] expected, int rows, double[][] actual) {
        assertEquals(rows, actual.length);
        for (int r = 0; r < rows; r++) {
            for (int l = 0; l < expected[r].length; l++) {
                assertEquals(expected[r][l], actual[r][l], 1e-4, "input " + r + " label " + l);
            }
        }
    }
}
