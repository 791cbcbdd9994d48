package io.peftflow.core.training;

import io.peftflow.core.run.MethodPreset;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.peftflow.core.data.EncodedDataset;
import io.peftflow.core.tuners.PeftModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Evaluation every N steps reaches the listener, and a stalled eval loss stops the run after the patience. */
class EarlyStoppingTest {
    @TempDir
    Path tmp;

    @Test
    void stopsWhenEvalLossStopsImproving() {
        try (TinySetup s = new TinySetup(tmp)) {
            EncodedDataset train = s.encode(TinySetup.examples(64, 1));
            EncodedDataset val = s.encode(TinySetup.examples(16, 2));
            PeftModel peft = new PeftModel(s.model);
            peft.add("default", MethodPreset.LORA.config(), 1);
            // A learning rate this small leaves the eval loss flat: no evaluation beats the first by minDelta.
            TrainingConfig cfg = TrainingConfig.builder().learningRate(1e-12).maxSteps(50).batch(8, 1)
                    .evaluation(2, 3, 0.01).build();
            List<Integer> evaluated = new ArrayList<>();
            TrainResult r = new Trainer(peft, cfg, s.pad()).listener(new TrainingListener() {
                @Override
                public void onEvaluation(int step, io.peftflow.core.evaluation.LossMetrics m) {
                    evaluated.add(step);
                }
            }).train(train, val);
            assertEquals(TrainResult.Status.EARLY_STOPPED, r.status());
            assertEquals(List.of(2, 4, 6, 8), evaluated);
            assertEquals(8, r.steps());
            assertEquals(2, r.bestStep());
        }
    }
}
