package io.peftflow.core.training;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peftflow.core.evaluation.Evaluator;
import io.peftflow.core.evaluation.ExactMatch;
import io.peftflow.core.evaluation.LossMetrics;
import io.peftflow.core.training.data.EncodedDataset;
import io.peftflow.core.training.optim.LrSchedule;
import io.peftflow.core.tuners.PeftModel;
import io.peftflow.data.Example;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance: every PEFT method trains on the embedded model and the imbalanced transaction data (loss falls) and
 * beats the base model's exact-match accuracy on the same validation split.
 */
class MethodsLearnTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(MethodPreset.class)
    void tunedBeatsBase(MethodPreset preset) {
        String method = preset.wireName();
        int steps = 120;
        try (TinySetup s = new TinySetup(tmp)) {
            List<Example> trainEx = TinySetup.examples(400, 1);
            List<Example> valEx = TinySetup.examples(100, 2);
            EncodedDataset train = s.encode(trainEx);
            EncodedDataset val = s.encode(valEx);
            PeftModel peft = new PeftModel(s.model);
            LossMetrics baseLoss = Evaluator.loss(peft, val, 32, s.pad());
            ExactMatch base = Evaluator.exactMatch(peft, s.encoder, valEx, 6, 50);
            peft.add("default", preset.config(), 7);
            TrainingConfig tc = TrainingConfig.builder().learningRate(preset.learningRate())
                    .schedule(LrSchedule.Kind.COSINE, 10).maxSteps(steps).batch(16, 1).seed(3).build();
            long t0 = System.nanoTime();
            TrainResult r = new Trainer(peft, tc, s.pad()).train(train, val);
            double secs = (System.nanoTime() - t0) / 1e9;
            LossMetrics tunedLoss = r.evaluations().get(r.evaluations().size() - 1).metrics();
            ExactMatch tuned = Evaluator.exactMatch(peft, s.encoder, valEx, 6, 50);
            System.out.printf(Locale.ROOT, "%s: %s; train loss %.3f -> %.3f in %d steps (%.1f s, %.0f tok/s);"
                            + " eval loss %.3f -> %.3f, token acc %.3f -> %.3f; exact match %.2f -> %.2f (macro %.2f)%n",
                    method, peft.trainableParametersReport(), r.firstLoss(), r.lastLoss(10), r.steps(), secs,
                    r.tokens() / secs, baseLoss.loss(), tunedLoss.loss(), baseLoss.tokenAccuracy(),
                    tunedLoss.tokenAccuracy(), base.accuracy(), tuned.accuracy(), tuned.macroAccuracy());
            assertTrue(r.lastLoss(10) < r.firstLoss() * 0.5, method + " loss falls");
            assertTrue(tunedLoss.loss() < baseLoss.loss(), method + " eval loss falls");
            assertTrue(tuned.accuracy() > base.accuracy() + 0.3, method + " beats base: " + base.accuracy() + " -> "
                    + tuned.accuracy());
        }
    }
}
