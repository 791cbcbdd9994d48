package io.peftflow.core.training;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peftflow.core.evaluation.Evaluator;
import io.peftflow.core.evaluation.ExactMatch;
import io.peftflow.core.evaluation.LossMetrics;
import io.peftflow.core.training.data.EncodedDataset;
import io.peftflow.core.training.optim.LrSchedule;
import io.peftflow.core.tuners.AdapterConfig;
import io.peftflow.core.tuners.PeftModel;
import io.peftflow.core.tuners.TargetModules;
import io.peftflow.core.tuners.bottleneck.BottleneckConfig;
import io.peftflow.core.tuners.lora.LoraConfig;
import io.peftflow.core.tuners.prompt.PromptTuningConfig;
import io.peftflow.data.Example;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance: every PEFT method trains on the embedded model and the imbalanced transaction data (loss falls) and
 * beats the base model's exact-match accuracy on the same validation split.
 */
class MethodsLearnTest {
    @TempDir
    Path tmp;

    static Stream<Arguments> methods() {
        return Stream.of(
                Arguments.of("lora", new LoraConfig(8, 16, TargetModules.of("q_proj", "k_proj", "v_proj", "o_proj")),
                        1e-2, 120),
                Arguments.of("seq_bn", BottleneckConfig.seqBn(), 1e-2, 120),
                Arguments.of("double_seq_bn", BottleneckConfig.doubleSeqBn(), 1e-2, 120),
                Arguments.of("prompt_tuning", PromptTuningConfig.random(8), 3e-2, 120));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void tunedBeatsBase(String method, AdapterConfig config, double lr, int steps) {
        try (TinySetup s = new TinySetup(tmp)) {
            List<Example> trainEx = TinySetup.examples(400, 1);
            List<Example> valEx = TinySetup.examples(100, 2);
            EncodedDataset train = s.encode(trainEx);
            EncodedDataset val = s.encode(valEx);
            PeftModel peft = new PeftModel(s.model);
            LossMetrics baseLoss = Evaluator.loss(peft, val, 32, s.pad());
            ExactMatch base = Evaluator.exactMatch(peft, s.encoder, valEx, 6, 50);
            peft.add("default", config, 7);
            TrainingConfig tc = TrainingConfig.builder().learningRate(lr).schedule(LrSchedule.Kind.COSINE, 10)
                    .maxSteps(steps).batch(16, 1).seed(3).build();
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
