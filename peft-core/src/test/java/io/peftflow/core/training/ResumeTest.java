package io.peftflow.core.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peftflow.core.PeftCoreException;
import io.peftflow.core.nn.Parameter;
import io.peftflow.core.data.EncodedDataset;
import io.peftflow.core.tuners.PeftModel;
import io.peftflow.core.tuners.TargetModules;
import io.peftflow.core.tuners.lora.LoraConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A run cancelled and resumed from its checkpoint has the losses and weights of an uninterrupted run, bit for bit. */
class ResumeTest {
    static final int STEPS = 10;

    @TempDir
    Path tmp;

    // Dropout, accumulation, decay, clipping and warmup all on, so every piece of state has to survive.
    static final TrainingConfig CONFIG = TrainingConfig.builder().learningRate(5e-3).weightDecay(0.01)
            .schedule(io.peftflow.core.training.optim.LrSchedule.Kind.COSINE, 2).maxSteps(STEPS).batch(8, 2)
            .maxGradNorm(0.5).seed(11).build();

    @ParameterizedTest(name = "half = {0}")
    @ValueSource(booleans = {false, true})
    void resumedRunEqualsUninterrupted(boolean half) {
        // In float16 the loss scale doubles every 3 good steps: the checkpoint at step 4 holds a scale and a count
        // of good steps that both matter after it (the scale GPU runs train with).
        TrainingConfig config = half ? CONFIG.toBuilder().lossScale(256f, 3).build() : CONFIG;
        Result straight = run(null, -1, config, half);
        Path ckpt = tmp.resolve("ckpt");
        Result first = run(ckpt, 4, config, half);
        assertEquals(TrainResult.Status.CANCELLED, first.result.status());
        assertEquals(4, first.result.steps());
        Result resumed = run(ckpt, -1, config, half);
        assertEquals(TrainResult.Status.COMPLETED, resumed.result.status());
        List<Double> a = straight.result.losses();
        List<Double> b = resumed.result.losses();
        assertEquals(a, b, "losses");
        assertEquals(straight.lossScales.subList(4, STEPS), resumed.lossScales, "loss scale at steps 5..10");
        for (int i = 0; i < straight.weights.size(); i++) {
            assertArrayEquals(straight.weights.get(i), resumed.weights.get(i), "parameter " + i);
        }
        assertTrue(a.get(STEPS - 1) < a.get(0), "loss falls: " + a);
        if (half) {
            assertTrue(straight.lossScales.get(STEPS - 1) > 256f, "the scale grew: " + straight.lossScales);
        }
        System.out.println("resume (half " + half + "): uninterrupted " + a + "\n        resumed       " + b);
    }

    @Test
    void resumeRefusesOtherData() {
        Path ckpt = tmp.resolve("ckpt");
        run(ckpt, 2, CONFIG, false);
        try (TinySetup s = new TinySetup(tmp)) {
            PeftModel peft = lora(s);
            EncodedDataset other = s.encode(TinySetup.examples(64, 99));
            PeftCoreException e = assertThrows(PeftCoreException.class,
                    () -> new Trainer(peft, CONFIG, s.pad()).resume(ckpt, other, null));
            assertTrue(e.getMessage().contains("different training data"), e.getMessage());
        }
    }

    /** @param lossScales the loss scale each step of this run trained with */
    private record Result(TrainResult result, List<float[]> weights, List<Float> lossScales) {
    }

    /** Trains from scratch, or resumes when {@code ckpt} holds a checkpoint; cancels after {@code cancelAt}. */
    private Result run(Path ckpt, int cancelAt, TrainingConfig config, boolean half) {
        try (TinySetup s = new TinySetup(tmp, half)) {
            PeftModel peft = lora(s);
            EncodedDataset train = s.encode(TinySetup.examples(64, 5));
            AtomicBoolean cancel = new AtomicBoolean();
            List<Float> lossScales = new ArrayList<>();
            Trainer t = new Trainer(peft, config, s.pad()).checkpoints(ckpt).cancellation(cancel::get)
                    .listener(new TrainingListener() {
                        @Override
                        public void onStep(StepProgress p) {
                            lossScales.add(p.lossScale());
                            cancel.set(p.step() == cancelAt);
                        }
                    });
            boolean resume = ckpt != null && cancelAt < 0;
            TrainResult r = resume ? t.resume(ckpt, train, null) : t.train(train, null);
            List<float[]> weights = new ArrayList<>();
            for (Parameter p : peft.trainableParameters()) {
                weights.add(p.array().toFloatArray());
            }
            return new Result(r, weights, lossScales);
        }
    }

    private static PeftModel lora(TinySetup s) {
        PeftModel peft = new PeftModel(s.model);
        peft.add("default", new LoraConfig(4, 8, TargetModules.of("q_proj", "v_proj")).withDropout(0.1), 3);
        return peft;
    }
}
