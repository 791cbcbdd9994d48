package io.peftflow.core.run;

import io.peftflow.core.tiny.TinyModel;
import io.peftflow.core.training.TrainResult;
import io.peftflow.core.training.TrainingConfig;
import io.peftflow.core.training.optim.LrSchedule;
import io.peftflow.data.sample.TransactionDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's retraining, measured (not a CI test: run with {@code -Dtest=WarmStartMeasure}): v1 trains the demo's
 * policy (LoRA r 8 on q/k/v/o, lr 0.01, batch 16, 150 steps) on the first 1,200 transactions; v2 (the 2,400 of the
 * demo's second upload) trains the same recipe cold and warm-started from v1, evaluating every 5 steps. Printed: the
 * first step at which each v2 run's eval loss is at or below v1's final eval loss (trainer-service/README.md).
 */
class WarmStartMeasure {
    static final int STEPS = 150;
    static final int EVERY = 5;

    @TempDir
    Path tmp;

    private RunResult run(Path model, List<String> lines, String name, Path initFrom) throws Exception {
        // dataset-service's split: the last tenth validates
        int validation = lines.size() / 10;
        Path train = Files.write(tmp.resolve(name + "-train.jsonl"), lines.subList(0, lines.size() - validation));
        Path val = Files.write(tmp.resolve(name + "-validation.jsonl"), lines.subList(lines.size() - validation,
                lines.size()));
        TrainingConfig tc = TrainingConfig.builder().learningRate(1e-2).schedule(LrSchedule.Kind.COSINE, 10)
                .maxSteps(STEPS).batch(16, 1).evaluation(EVERY, 0, 0).seed(42).build();
        RunSpec.Builder spec = RunSpec.builder().baseModel(model, "tiny-llama").data(train, val)
                .method("lora", MethodPreset.LORA.hyperparameters()).training(tc).device("cpu")
                .output(tmp.resolve(name));
        if (initFrom != null) {
            spec.initFrom(initFrom);
        }
        return new TrainingRun(spec.build()).run();
    }

    private static int reaches(TrainResult t, double target) {
        return t.evaluations().stream().filter(e -> e.metrics().loss() <= target).mapToInt(TrainResult.Evaluation::step)
                .findFirst().orElse(-1);
    }

    @Test
    void warmStartReachesV1sEvalLossSooner() throws Exception {
        Path model = TinyModel.write(tmp.resolve("tiny"));
        List<String> all = TransactionDataset.jsonl(2400, 42).lines().toList();
        RunResult v1 = run(model, all.subList(0, 1200), "v1", null);
        double target = v1.tuned().evalLoss();
        RunResult cold = run(model, all, "v2-cold", null);
        RunResult warm = run(model, all, "v2-warm", v1.adapterDir());
        System.out.printf(Locale.ROOT, "v1: eval loss %.4f after %d steps; v2 cold reaches it at step %d (final %.4f,"
                        + " exact match %.3f); v2 warm from v1 at step %d (final %.4f, exact match %.3f); evaluations every"
                        + " %d steps%n", target, v1.steps(), reaches(cold.training(), target), cold.tuned().evalLoss(),
                cold.tuned().exactMatchAccuracy(), reaches(warm.training(), target), warm.tuned().evalLoss(),
                warm.tuned().exactMatchAccuracy(), EVERY);
    }
}
