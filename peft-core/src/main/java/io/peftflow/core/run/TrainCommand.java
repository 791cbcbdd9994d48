package io.peftflow.core.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.checkpoint.Json;
import io.peftflow.core.evaluation.EvalMetrics;
import io.peftflow.core.evaluation.ExactMatch;
import io.peftflow.core.evaluation.LossMetrics;
import io.peftflow.core.tiny.TinyModel;
import io.peftflow.core.training.StepProgress;
import io.peftflow.core.training.TrainingConfig;
import io.peftflow.core.training.optim.LrSchedule;
import io.peftflow.data.sample.TransactionDataset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Runs one {@link TrainingRun} from the command line and prints its progress and base vs tuned metrics beside the
 * majority-class baseline; writes the adapter, a resumable checkpoint and the run manifest under {@code --out}, and
 * with {@code --snapshot-every N} the adapter after every N updates and the last in {@code snapshots/step-N/}.
 * Defaults: the embedded tiny model on the generated transaction data, the method's {@link MethodPreset}.
 * {@code --seed} draws the adapter's initialisation, the batch order and dropout (and the generated data when no
 * {@code --train} is given); {@code --bucket-batches} is {@link TrainingConfig#bucketBatches} (batches per length
 * bucket; 1: no length grouping, batches in a random order as HF Trainer's default sampler draws them).
 *
 * <pre>
 * java -cp ... io.peftflow.core.run.TrainCommand [--method lora|seq_bn|double_seq_bn|prompt_tuning]
 *     [--steps 150] [--batch 16] [--lr preset] [--warmup 10] [--eval-every 50] [--checkpoint-every 0]
 *     [--snapshot-every 0] [--bucket-batches 16]
 *     [--seed 42] [--out target/peftflow-train] [--device auto]
 *     [--model HF-DIR] [--model-id NAME] [--train FILE.jsonl --validation FILE.jsonl] [--train-size 400]
 *     [--validation-size 100]
 *     [--resume CHECKPOINT-DIR] [--hyperparameters '{"r": 16, "lora_alpha": 32}' (PEFT's keys; default: the preset)]
 * </pre>
 */
public final class TrainCommand {
    /** Every option {@link #run} reads. */
    private static final Set<String> OPTIONS = Set.of("method", "steps", "batch", "lr", "warmup", "eval-every",
            "checkpoint-every", "snapshot-every", "bucket-batches", "seed", "out", "device", "model", "model-id",
            "train", "validation", "train-size", "validation-size", "resume", "hyperparameters");

    private TrainCommand() {
    }

    public static void main(String[] argv) {
        run(parse(argv));
    }

    static RunResult run(Map<String, String> a) {
        MethodPreset method = MethodPreset.parse(a.getOrDefault("method", "lora"));
        long seed = number(a, "seed", 42L, Long::valueOf);
        Path out = Path.of(a.getOrDefault("out", "target/peftflow-train"));
        Path modelDir = a.containsKey("model") ? Path.of(a.get("model")) : TinyModel.write(out.resolve("base"));
        Path trainFile = a.containsKey("train") ? Path.of(a.get("train")) : TransactionDataset.write(
                out.resolve("data/train.jsonl"), integer(a, "train-size", 400), seed);
        Path valFile = a.containsKey("validation") ? Path.of(a.get("validation")) : TransactionDataset.write(
                out.resolve("data/validation.jsonl"), integer(a, "validation-size", 100),
                seed + 1);
        TrainingConfig config = TrainingConfig.builder().seed(seed)
                .learningRate(number(a, "lr", method.learningRate(), Double::valueOf))
                .schedule(LrSchedule.Kind.COSINE, integer(a, "warmup", 10))
                .maxSteps(integer(a, "steps", 150))
                .batch(integer(a, "batch", 16), 1)
                .evaluation(integer(a, "eval-every", 50), 0, 0)
                .checkpointEvery(integer(a, "checkpoint-every", 0))
                .bucketBatches(integer(a, "bucket-batches", TrainingConfig.BUCKET_BATCHES)).build();
        System.out.printf(Locale.ROOT, "seed %d, %s%n", seed, config.bucketBatches() == 1
                ? "batches in a random order (no length buckets)"
                : "length buckets of " + config.bucketBatches() + " batches");
        RunSpec spec = RunSpec.builder().baseModel(modelDir, a.getOrDefault("model-id", modelDir.toString()))
                .data(trainFile, valFile).method(method.wireName(), a.containsKey("hyperparameters")
                        ? json(a.get("hyperparameters")) : method.hyperparameters()).training(config)
                .device(a.getOrDefault("device", "auto")).output(out).snapshots(integer(a, "snapshot-every", 0))
                .resumeFrom(a.containsKey("resume") ? Path.of(a.get("resume")) : null).build();
        RunResult r = new TrainingRun(spec).listener(new RunListener() {
            @Override
            public void onPhase(Phase phase) {
                System.out.println("== " + phase.name().toLowerCase(Locale.ROOT).replace('_', ' '));
            }

            @Override
            public void onStep(StepProgress p) {
                if (p.step() % 10 == 0 || p.step() == p.totalSteps()) {
                    System.out.printf(Locale.ROOT, "step %d/%d epoch %d loss %.4f lr %.2e %.0f tok/s eta %.0fs%n",
                            p.step(), p.totalSteps(), p.epoch(), p.loss(), p.learningRate(), p.tokensPerSecond(),
                            p.etaSeconds());
                }
            }

            @Override
            public void onEvaluation(int step, LossMetrics m) {
                System.out.printf(Locale.ROOT, "eval @%d: loss %.6f ppl %.2f token acc %.3f%n", step, m.loss(),
                        m.perplexity(), m.tokenAccuracy());
            }

            @Override
            public void onSnapshot(int step, Path dir) {
                System.out.println("snapshot @" + step + ": " + dir);
            }
        }).run();
        System.out.printf(Locale.ROOT, "%s %s: %d trainable parameters, %d steps, %.0f tok/s%n%n", spec.method(),
                r.status(), r.trainableParameters(), r.steps(), r.tokensPerSecond());
        System.out.printf(Locale.ROOT, "%-14s %10s %10s %10s %12s %12s%n", "model", "eval loss", "perplexity",
                "token acc", "exact match", "macro exact");
        print("majority class", null, r.majorityBaseline().exactMatch());
        print("base", r.base(), r.base().exactMatch());
        if (r.tuned() != null) {
            print("tuned", r.tuned(), r.tuned().exactMatch());
        }
        System.out.println("adapter: " + r.adapterDir() + "\ncheckpoint: " + r.checkpointDir() + "\nmanifest: "
                + r.manifest());
        return r;
    }

    private static void print(String which, EvalMetrics m, ExactMatch e) {
        System.out.printf(Locale.ROOT, "%-14s %10s %10s %10s %12.3f %12.3f%n", which,
                m == null ? "-" : String.format(Locale.ROOT, "%.4f", m.evalLoss()),
                m == null ? "-" : String.format(Locale.ROOT, "%.4g", m.perplexity()),
                m == null ? "-" : String.format(Locale.ROOT, "%.3f", m.tokenAccuracy()), e.accuracy(),
                e.macroAccuracy());
    }

    private static int integer(Map<String, String> a, String option, int defaultValue) {
        return number(a, option, defaultValue, Integer::valueOf);
    }

    private static <T extends Number> T number(Map<String, String> a, String option, T defaultValue,
                                               Function<String, T> parse) {
        String text = a.get(option);
        try {
            return text == null ? defaultValue : parse.apply(text);
        } catch (NumberFormatException e) {
            throw PeftCoreException.invalidField(option, "--" + option + " must be a" + (defaultValue instanceof Double
                    ? " number" : "n integer") + ", got '" + text + "'");
        }
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw PeftCoreException.invalidField("hyperparameters", "--hyperparameters is not JSON: " + e.getMessage());
        }
    }

    static Map<String, String> parse(String[] argv) {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + String.join(" ", argv));
            }
            String name = argv[i].substring(2);
            // a misspelt option would otherwise train with its default, silently
            if (!OPTIONS.contains(name)) {
                throw PeftCoreException.invalidField(name, "unknown option --" + name + "; one of "
                        + OPTIONS.stream().sorted().map(o -> "--" + o).toList());
            }
            a.put(name, argv[++i]);
        }
        return a;
    }
}
