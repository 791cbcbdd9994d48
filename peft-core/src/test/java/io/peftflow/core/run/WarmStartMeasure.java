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
        return run(model, lines, name, initFrom, 1e-2, STEPS);
    }

    private RunResult run(Path model, List<String> lines, String name, Path initFrom, double lr, int steps)
            throws Exception {
        // dataset-service's split: the last tenth validates
        int validation = lines.size() / 10;
        Path train = Files.write(tmp.resolve(name + "-train.jsonl"), lines.subList(0, lines.size() - validation));
        Path val = Files.write(tmp.resolve(name + "-validation.jsonl"), lines.subList(lines.size() - validation,
                lines.size()));
        TrainingConfig tc = TrainingConfig.builder().learningRate(lr).schedule(LrSchedule.Kind.COSINE, Math.min(10, steps - 1))
                .maxSteps(steps).batch(16, 1).evaluation(EVERY, 0, 0).restoreBestWeights(false).seed(42).build();
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
        // v1 measured on v2's validation split (one update at a negligible rate leaves its weights as they are)
        RunResult v1OnV2 = run(model, all, "v1-on-v2", v1.adapterDir(), 1e-12, 1);
        double target = v1OnV2.tuned().evalLoss();
        RunResult cold = run(model, all, "v2-cold", null);
        RunResult warm = run(model, all, "v2-warm", v1.adapterDir());
        RunResult warmLow = run(model, all, "v2-warm-lr1e-3", v1.adapterDir(), 1e-3, STEPS);
        System.out.printf(Locale.ROOT, "v1: eval loss %.4f on its own split after %d steps, %.4f on v2's validation "
                + "split (the target)%n", v1.tuned().evalLoss(), v1.steps(), target);
        for (var e : List.of(java.util.Map.entry("cold lr 0.01", cold), java.util.Map.entry("warm lr 0.01", warm),
                java.util.Map.entry("warm lr 0.001", warmLow))) {
            TrainResult t = e.getValue().training();
            System.out.printf(Locale.ROOT, "v2 %s: reaches the target at step %d; final eval loss %.4f, exact match "
                            + "%.3f; curve %s%n", e.getKey(), reaches(t, target), e.getValue().tuned().evalLoss(),
                    e.getValue().tuned().exactMatchAccuracy(), t.evaluations().stream().map(x -> String.format(
                            Locale.ROOT, "%d:%.3f", x.step(), x.metrics().loss())).toList());
        }
    }
}
