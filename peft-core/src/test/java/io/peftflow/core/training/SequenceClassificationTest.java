package io.peftflow.core.training;

import io.peftflow.core.run.MethodPreset;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peftflow.core.PeftCoreException;
import io.peftflow.core.evaluation.ClassificationMetrics;
import io.peftflow.core.evaluation.Evaluator;
import io.peftflow.core.nn.Parameter;
import io.peftflow.core.data.EncodedDataset;
import io.peftflow.core.data.SequenceEncoder;
import io.peftflow.core.training.optim.LrSchedule;
import io.peftflow.core.tuners.ClassificationHeadConfig;
import io.peftflow.core.tuners.PeftModel;
import io.peftflow.data.Example;
import io.peftflow.data.ExampleFormat;
import io.peftflow.data.Turn;
import io.peftflow.data.sample.TransactionDataset;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sequence classification (PEFT's SEQ_CLS): LoRA and a new classification head trained together on the embedded
 * model and the transaction data beat the untrained head's (chance) accuracy; mismatched labels, heads and data
 * are clear errors.
 */
class SequenceClassificationTest {
    static final List<String> LABELS = TransactionDataset.CATEGORIES.stream().map(TransactionDataset.Category::name)
            .toList();

    @TempDir
    Path tmp;

    private static List<String> swapped() {
        List<String> l = new java.util.ArrayList<>(LABELS);
        java.util.Collections.swap(l, 0, 1);
        return l;
    }

    @Test
    void loraAndHeadLearnTheCategories() {
        try (TinySetup s = new TinySetup(tmp)) {
            EncodedDataset train = s.encoder.encodeClasses(TinySetup.examples(320, 1), LABELS);
            EncodedDataset val = s.encoder.encodeClasses(TinySetup.examples(100, 2), LABELS);
            assertTrue(train.isClassification() && train.sequences().stream().allMatch(q -> q.labelled() == 0));
            PeftModel peft = new PeftModel(s.model);
            peft.add("lora", MethodPreset.LORA.config(), 7);
            peft.add("cls", new ClassificationHeadConfig(LABELS.size()), 7);
            ClassificationMetrics base = Evaluator.classification(peft, val, 32, s.pad());
            TrainingConfig tc = TrainingConfig.builder().learningRate(1e-2).schedule(LrSchedule.Kind.COSINE, 5)
                    .maxSteps(80).batch(16, 1).seed(3).build();
            long t0 = System.nanoTime();
            TrainResult r = new Trainer(peft, tc, s.pad()).train(train, val);
            double secs = (System.nanoTime() - t0) / 1e9;
            ClassificationMetrics tuned = Evaluator.classification(peft, val, 32, s.pad());
            System.out.printf(Locale.ROOT, "seq_cls: %s; train loss %.3f -> %.3f in %d steps (%.1f s); eval loss"
                            + " %.3f -> %.3f; accuracy %.2f -> %.2f, macro %.2f -> %.2f%n",
                    peft.trainableParametersReport(), r.firstLoss(), r.lastLoss(5), r.steps(), secs, base.loss(),
                    tuned.loss(), base.accuracy(), tuned.accuracy(), base.macroAccuracy(), tuned.macroAccuracy());
            assertEquals(tuned.loss(), r.evaluations().get(r.evaluations().size() - 1).metrics().loss(), 1e-5,
                    "the trainer's evaluation is the head's loss");
            assertTrue(tuned.loss() < base.loss(), "eval loss falls");
            assertTrue(tuned.accuracy() > base.accuracy() + 0.3, "beats the untrained head: " + base.accuracy()
                    + " -> " + tuned.accuracy());
            assertTrue(tuned.accuracy() > 0.7, "beats always answering the largest class (45%): "
                    + tuned.accuracy());
            for (Parameter p : peft.trainableParameters()) {
                if (p.name().contains("lora_B")) {
                    assertTrue(p.array().abs().max().getFloat() > 0, "LoRA trains through the head: " + p.name());
                }
            }
        }
    }

    @Test
    void mismatchedLabelsHeadsAndDataAreClearErrors() {
        try (TinySetup s = new TinySetup(tmp)) {
            List<Example> ex = TinySetup.examples(20, 1);
            PeftCoreException outside = assertThrows(PeftCoreException.class,
                    () -> s.encoder.encodeClasses(ex, List.of("groceries", "dining")));
            assertTrue(outside.getMessage().contains("which is not in the label list [groceries, dining]"),
                    outside.getMessage());
            // An explicit label field wins over the response.
            Example labelled = new Example(ExampleFormat.PROMPT_COMPLETION, List.of(new Turn(Turn.USER, "x"),
                    new Turn(Turn.ASSISTANT, " y")), "b");
            assertEquals("b", labelled.classLabel());
            assertEquals(1, s.encoder.encodeClasses(List.of(labelled), List.of("a", "b")).sequences().get(0)
                    .classIndex());

            EncodedDataset classes = s.encoder.encodeClasses(ex, LABELS);
            EncodedDataset tokens = s.encode(ex);
            TrainingConfig cfg = TrainingConfig.builder().maxSteps(1).batch(4, 1).build();
            PeftModel peft = new PeftModel(s.model);
            peft.add("lora", MethodPreset.LORA.config(), 1);
            PeftCoreException noHead = assertThrows(PeftCoreException.class,
                    () -> new Trainer(peft, cfg, s.pad()).train(classes, null));
            assertTrue(noHead.getMessage().contains("exactly one active classification head"), noHead.getMessage());

            peft.add("small", new ClassificationHeadConfig(3), 1);
            PeftCoreException small = assertThrows(PeftCoreException.class,
                    () -> new Trainer(peft, cfg, s.pad()).train(classes, null));
            assertTrue(small.getMessage().contains("has 3 labels but the data has 8"), small.getMessage());
            PeftCoreException lmData = assertThrows(PeftCoreException.class,
                    () -> new Trainer(peft, cfg, s.pad()).train(tokens, null));
            assertTrue(lmData.getMessage().contains("data has no class labels"), lmData.getMessage());
            peft.remove("small");
            peft.add("cls", new ClassificationHeadConfig(LABELS.size()), 1);
            PeftCoreException evalLabels = assertThrows(PeftCoreException.class, () -> new Trainer(peft, cfg,
                    s.pad()).train(classes, s.encoder.encodeClasses(ex, swapped())));
            assertTrue(evalLabels.getMessage().contains("evaluation data has class labels"),
                    evalLabels.getMessage());
        }
    }
}
