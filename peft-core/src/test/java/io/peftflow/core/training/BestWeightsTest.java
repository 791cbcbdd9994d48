package io.peftflow.core.training;

import io.peftflow.core.run.MethodPreset;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.checkpoint.Json;
import io.peftflow.core.evaluation.Evaluator;
import io.peftflow.core.evaluation.LossMetrics;
import io.peftflow.core.nn.Parameter;
import io.peftflow.core.data.EncodedDataset;
import io.peftflow.core.training.optim.LrSchedule;
import io.peftflow.core.tuners.ClassificationHeadConfig;
import io.peftflow.core.tuners.PeftModel;
import io.peftflow.data.Example;
import io.peftflow.data.ExampleFormat;
import io.peftflow.data.Turn;
import io.peftflow.data.sample.TransactionDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code restoreBestWeights}: a run whose eval loss gets worse after its best evaluation ends on that evaluation's
 * weights (completed or resumed, compared with a copy taken at that evaluation and by recomputing the eval loss), keeps its last weights when cancelled or switched off, and the flag survives
 * JSON and old checkpoints.
 */
class BestWeightsTest {
    static final TrainingConfig CONFIG = TrainingConfig.builder().learningRate(1e-2)
            .schedule(LrSchedule.Kind.CONSTANT, 0).maxSteps(12).batch(8, 1).evaluation(2, 0, 0).seed(5).build();

    @TempDir
    Path tmp;

    /** What a run left: its result, the weights it ended on and those at each evaluation, the final eval loss. */
    private record Run(TrainResult result, List<float[]> end, Map<Integer, List<float[]>> atEval, double evalLoss) {
        double bestLoss() {
            return result.evaluations().stream().filter(e -> e.step() == result.bestStep()).findFirst()
                    .orElseThrow().metrics().loss();
        }
    }

    @Test
    void endsOnTheBestEvaluationsWeights() {
        Run run = run(CONFIG, null, -1, false);
        TrainResult r = run.result();
        double lastLoss = r.evaluations().get(r.evaluations().size() - 1).metrics().loss();
        assertEquals(TrainResult.Status.COMPLETED, r.status());
        assertTrue(r.bestStep() < r.steps() && run.bestLoss() < lastLoss, "the setup makes eval loss worsen after"
                + " the best step: " + r.evaluations());
        assertEquals(r.bestStep(), r.weightsStep());
        assertWeightsEqual(run.atEval().get(r.bestStep()), run.end());
        assertEquals(run.bestLoss(), run.evalLoss(), 1e-5, "eval loss recomputed on the final weights");

        Run off = run(CONFIG.toBuilder().restoreBestWeights(false).build(), null, -1, false);
        assertEquals(off.result().steps(), off.result().weightsStep());
        assertWeightsEqual(off.atEval().get(off.result().steps()), off.end());
        assertEquals(lastLoss, off.evalLoss(), 1e-5, "switched off: the last weights");
        System.out.printf("best weights: best step %d (eval loss %.3f), last step %d (%.3f); ends on %.3f%n",
                r.bestStep(), run.bestLoss(), r.steps(), lastLoss, run.evalLoss());
    }

    @Test
    void bestWeightsSurviveAResume() {
        Run straight = run(CONFIG, null, -1, false);
        Path ckpt = tmp.resolve("ckpt");
        Run cancelled = run(CONFIG, ckpt, 7, false);
        assertEquals(TrainResult.Status.CANCELLED, cancelled.result().status());
        assertEquals(7, cancelled.result().weightsStep(), "a cancelled run keeps its last weights");
        assertTrue(cancelled.result().bestStep() < 7, "the best step is before the cancel");
        assertTrue(Files.isRegularFile(ckpt.resolve(TrainerCheckpoint.BEST)));
        Run resumed = run(CONFIG, ckpt, -1, true);
        assertEquals(TrainResult.Status.COMPLETED, resumed.result().status());
        assertEquals(straight.result().bestStep(), resumed.result().weightsStep());
        assertWeightsEqual(straight.end(), resumed.end());

        // A checkpoint without best weights (restoreBestWeights off, or written before it existed) cannot end on
        // them; resuming it with the flag off works, as the flag does not change the steps.
        Path old = tmp.resolve("old");
        run(CONFIG.toBuilder().restoreBestWeights(false).build(), old, 7, false);
        assertFalse(Files.exists(old.resolve(TrainerCheckpoint.BEST)));
        PeftCoreException e = assertThrows(PeftCoreException.class, () -> run(CONFIG, old, -1, true));
        assertTrue(e.getMessage().contains("restoreBestWeights(false)"), e.getMessage());
        Run lastWeights = run(CONFIG.toBuilder().restoreBestWeights(false).build(), old, -1, true);
        assertEquals(CONFIG.maxSteps(), lastWeights.result().weightsStep());
    }

    @Test
    void configFlagRoundTripsAndDefaultsToTrue() {
        assertTrue(TrainingConfig.builder().maxSteps(1).build().restoreBestWeights());
        TrainingConfig off = CONFIG.toBuilder().restoreBestWeights(false).build();
        assertEquals(off, TrainingConfig.fromJson(off.toJson()));
        assertEquals(CONFIG, TrainingConfig.fromJson(CONFIG.toJson()));
        ObjectNode before = CONFIG.toJson();
        before.remove("restoreBestWeights");
        assertEquals(CONFIG, TrainingConfig.fromJson(before), "JSON from before the flag: the default");
        ObjectNode state = Json.MAPPER.createObjectNode().put("step", 3).put("bestStep", 2);
        state.set("config", before);
        assertTrue(TrainerCheckpoint.TrainerState.fromJson(state).config().restoreBestWeights());
        assertThrows(PeftCoreException.class, () -> CONFIG.toBuilder().evaluation(2, 1, -0.1).build());
    }

    /**
     * Trains LoRA and a classification head on data where every transaction is labelled "groceries", and evaluates
     * on the other categories: each step makes the true classes less likely, so the eval loss only gets worse after
     * the first evaluation (the best step) — whatever the numerics, as long as training fits its data.
     */
    private Run run(TrainingConfig cfg, Path ckpt, int cancelAt, boolean resume) {
        try (TinySetup s = new TinySetup(tmp)) {
            List<Example> trainEx = TransactionDataset.generate(64, 1).stream()
                    .map(t -> new Example(ExampleFormat.PROMPT_COMPLETION, List.of(new Turn(Turn.USER, t.prompt()),
                            new Turn(Turn.ASSISTANT, " " + t.category())), "groceries")).toList();
            EncodedDataset train = s.encoder.encodeClasses(trainEx, SequenceClassificationTest.LABELS);
            EncodedDataset val = s.encoder.encodeClasses(TransactionDataset.generate(80, 2).stream()
                    .filter(t -> !t.category().equals("groceries")).map(TransactionDataset.Transaction::toExample)
                    .toList(), SequenceClassificationTest.LABELS);
            PeftModel peft = new PeftModel(s.model);
            peft.add("default", MethodPreset.LORA.config(), 1);
            peft.add("cls", new ClassificationHeadConfig(SequenceClassificationTest.LABELS.size()), 1);
            Map<Integer, List<float[]>> atEval = new HashMap<>();
            AtomicBoolean cancel = new AtomicBoolean();
            Trainer t = new Trainer(peft, cfg, s.pad()).checkpoints(ckpt).cancellation(cancel::get)
                    .listener(new TrainingListener() {
                        @Override
                        public void onStep(StepProgress p) {
                            cancel.set(p.step() == cancelAt);
                        }

                        @Override
                        public void onEvaluation(int step, LossMetrics m) {
                            atEval.put(step, weights(peft));
                        }
                    });
            TrainResult r = resume ? t.resume(ckpt, train, val) : t.train(train, val);
            return new Run(r, weights(peft), atEval, Evaluator.loss(peft, val, cfg.batchSize(), s.pad()).loss());
        }
    }

    private static List<float[]> weights(PeftModel peft) {
        List<float[]> out = new ArrayList<>();
        for (Parameter p : peft.trainableParameters()) {
            out.add(p.array().toFloatArray());
        }
        return out;
    }

    private static void assertWeightsEqual(List<float[]> want, List<float[]> got) {
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) {
            assertArrayEquals(want.get(i), got.get(i), 1e-6f, "parameter " + i);
        }
    }
}
