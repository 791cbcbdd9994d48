package io.peftflow.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peftflow.core.evaluation.ExactMatch;
import io.peftflow.core.tiny.TinyModel;
import io.peftflow.core.training.TrainResult;
import io.peftflow.core.training.TrainingConfig;
import io.peftflow.core.training.optim.LrSchedule;
import io.peftflow.data.sample.TransactionDataset;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Acceptance: every PEFT method, run through {@link TrainingRun} on the embedded model and the imbalanced
 * transaction data, learns the task rather than its majority class: tuned exact match above the majority-class
 * baseline's by a margin, and macro exact match (every category counts the same) above chance, 1/k, by a margin.
 * Prompt tuning does not (see peft-core/README.md, Training and evaluation: with the literature's recipe it learns the
 * answer format, eval loss 21.4 -> 0.85, but answers near-constantly on this frozen random model); its test holds it
 * to what it does, so a change in either direction shows.
 */
class MethodsLearnTest {
    static final double MARGIN = 0.1;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(MethodPreset.class)
    void learnsMoreThanTheMajorityClass(MethodPreset preset) {
        Path model = TinyModel.write(tmp.resolve("tiny"));
        Path train = TransactionDataset.write(tmp.resolve("train.jsonl"), 400, 1);
        Path validation = TransactionDataset.write(tmp.resolve("validation.jsonl"), 100, 2);
        TrainingConfig tc = TrainingConfig.builder().learningRate(preset.learningRate())
                .schedule(LrSchedule.Kind.COSINE, 10).maxSteps(120).batch(16, 1).seed(3).build();
        RunSpec spec = RunSpec.builder().baseModel(model, "peftflow/tiny-llama").data(train, validation)
                .method(preset.wireName(), preset.hyperparameters()).training(tc).device("cpu")
                .output(tmp.resolve("run")).build();
        RunResult r = new TrainingRun(spec).run();
        ExactMatch.Majority majority = r.majorityBaseline();
        ExactMatch tuned = r.tuned().exactMatch();
        int k = majority.answers();
        TrainResult t = r.training();
        System.out.printf(Locale.ROOT, "%s: %d trainable; train loss %.3f -> %.3f in %d steps (%.1f s, %.0f tok/s);"
                        + " eval loss %.3f -> %.3f; exact match base %.2f, majority %.2f, tuned %.2f;"
                        + " macro base %.2f, majority %.2f, tuned %.2f (1/k = %.2f)%n",
                preset.wireName(), r.trainableParameters(), t.firstLoss(), t.lastLoss(10), t.steps(), t.seconds(),
                r.tokensPerSecond(), r.base().evalLoss(), r.tuned().evalLoss(), r.base().exactMatchAccuracy(),
                majority.accuracy(), tuned.accuracy(), r.base().macroExactMatch(), majority.macroAccuracy(),
                tuned.macroAccuracy(), 1.0 / k);
        assertEquals(TrainResult.Status.COMPLETED, r.status());
        assertTrue(r.tuned().evalLoss() < r.base().evalLoss(), preset + " eval loss falls");
        if (preset == MethodPreset.PROMPT_TUNING) {
            assertTrue(r.tuned().evalLoss() < 1.5 && tuned.accuracy() > majority.accuracy() - 0.1
                    && tuned.macroAccuracy() < 1.0 / k + MARGIN, "prompt tuning as documented: " + tuned.accuracy()
                    + " / macro " + tuned.macroAccuracy() + " (update the README if it now learns the task)");
            return;
        }
        assertTrue(tuned.accuracy() > majority.accuracy() + MARGIN, preset + " exact match " + tuned.accuracy()
                + " vs majority class " + majority.accuracy());
        assertTrue(tuned.macroAccuracy() > 1.0 / k + MARGIN, preset + " macro exact match " + tuned.macroAccuracy()
                + " vs chance " + 1.0 / k);
    }
}
