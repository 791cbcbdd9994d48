package io.peftflow.core.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.model.Models;
import io.peftflow.core.tiny.TinyModel;
import io.peftflow.core.tokenizer.Tokenizer;
import io.peftflow.core.tuners.PeftModel;
import io.peftflow.core.tuners.TargetModules;
import io.peftflow.core.tuners.lora.LoraConfig;
import io.peftflow.data.PromptTemplate;
import io.peftflow.data.Turn;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cached, batched label scorer gives each label the log-likelihood a full forward over prompt + label gives,
 * for 200 labels and prompts of different lengths (left padding), and its probabilities add up to 1.
 */
class LabelScorerTest {
    @Test
    void twoHundredLabelsScoredFromOneEncodedPromptEqualFullForwards(@TempDir Path tmp) {
        Path dir = TinyModel.write(tmp.resolve("tiny"));
        try (CausalLM model = Models.load(dir, LoadOptions.cpu()); Tokenizer tok = Tokenizer.load(dir)) {
            PeftModel peft = new PeftModel(model);
            peft.add("default", new LoraConfig(4, 8, TargetModules.of("q_proj", "v_proj")), 3);
            List<String> names = IntStream.range(0, 200).mapToObj(i -> "category " + i).toList();
            LabelSet labels = new LabelSet(PromptTemplate.RAW, " ", names);
            LabelScorer scorer = new LabelScorer(peft, labels.continuations(tok));
            List<long[]> prompts = List.of(
                    labels.promptIds(tok, List.of(new Turn(Turn.USER, "Transaction: STARBUCKS #12 SEATTLE WA 4.75\nCategory:"))),
                    labels.promptIds(tok, List.of(new Turn(Turn.USER, "Transaction: UBER\nCategory:"))));
            assertTrue(prompts.get(0).length > prompts.get(1).length + 3, "the second prompt is left-padded");

            double[][] scores = scorer.logLikelihoods(prompts);
            long start = System.nanoTime();
            scorer.logLikelihoods(prompts.subList(0, 1));
            System.out.printf("200 labels, one prompt, warm: %.1f ms%n", (System.nanoTime() - start) / 1e6);
            List<long[]> continuations = labels.continuations(tok);
            for (int p = 0; p < prompts.size(); p++) {
                for (int l : new int[] {0, 1, 57, 199}) {
                    assertEquals(fullForward(model, prompts.get(p), continuations.get(l)), scores[p][l], 2e-3,
                            "prompt " + p + " label " + l);
                }
                assertEquals(1.0, Arrays.stream(LabelScorer.probabilities(scores[p])).sum(), 1e-9);
            }
        }
    }

    /** Sum of log P(label token | everything before it) from one uncached forward over prompt + label. */
    private static double fullForward(CausalLM model, long[] prompt, long[] label) {
        long[] ids = new long[prompt.length + label.length];
        System.arraycopy(prompt, 0, ids, 0, prompt.length);
        System.arraycopy(label, 0, ids, prompt.length, label.length);
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray logProbs = model.forward(scope.create(ids, new Shape(1, ids.length)))
                    .toType(DataType.FLOAT32, false).logSoftmax(-1);
            double sum = 0;
            for (int i = 0; i < label.length; i++) {
                sum += logProbs.getFloat(0, prompt.length - 1 + i, label[i]);
            }
            return sum;
        }
    }

    @Test
    void aLabelSetComesOnlyFromClassifierStyleData() {
        var examples = new ArrayList<io.peftflow.data.Example>();
        io.peftflow.data.sample.TransactionDataset.generate(50, 1).forEach(t -> examples.add(t.toExample()));
        LabelSet set = LabelSet.of(examples);
        assertEquals(" ", set.prefix());
        assertTrue(set.labels().contains("groceries"), set.labels().toString());
        assertEquals(set, LabelSet.fromManifest(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .set("serving", set.toJson())).orElseThrow());
    }
}
