package io.peftflow.core.training;

import ai.djl.engine.Engine;
import io.peftflow.core.evaluation.Evaluator;
import io.peftflow.core.evaluation.ExactMatch;
import io.peftflow.core.evaluation.LossMetrics;
import io.peftflow.core.manifest.RunManifest;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.model.Models;
import io.peftflow.core.tiny.TinyModel;
import io.peftflow.core.tokenizer.Tokenizer;
import io.peftflow.core.training.data.EncodedDataset;
import io.peftflow.core.training.data.Examples;
import io.peftflow.core.training.data.OverLongPolicy;
import io.peftflow.core.training.data.SequenceEncoder;
import io.peftflow.core.training.optim.LrSchedule;
import io.peftflow.core.tuners.AdapterConfig;
import io.peftflow.core.tuners.PeftModel;
import io.peftflow.data.Example;
import io.peftflow.data.sample.TransactionDataset;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains one PEFT method and prints base vs tuned metrics on the validation split; writes the adapter, a resumable
 * checkpoint and a run manifest. Defaults: the embedded tiny model on the generated transaction data.
 *
 * <pre>
 * java -cp ... io.peftflow.core.training.TrainCommand [--method lora|seq_bn|double_seq_bn|prompt_tuning]
 *     [--steps 150] [--batch 16] [--lr preset] [--seed 42] [--out target/peftflow-train]
 *     [--model HF-DIR] [--train FILE.jsonl --validation FILE.jsonl] [--train-size 400] [--validation-size 100]
 * </pre>
 */
public final class TrainCommand {
    private TrainCommand() {
    }

    public static void main(String[] argv) {
        Map<String, String> a = parse(argv);
        MethodPreset method = MethodPreset.parse(a.getOrDefault("method", "lora"));
        long seed = Long.parseLong(a.getOrDefault("seed", "42"));
        Path out = Path.of(a.getOrDefault("out", "target/peftflow-train"));
        // Seed first: adapter initialisation and dropout draw from it.
        Engine.getInstance().setRandomSeed((int) seed);
        Path modelDir = a.containsKey("model") ? Path.of(a.get("model")) : TinyModel.write(out.resolve("base"));
        Path trainFile = a.containsKey("train") ? Path.of(a.get("train")) : TransactionDataset.write(
                out.resolve("data/train.jsonl"), Integer.parseInt(a.getOrDefault("train-size", "400")), seed);
        Path valFile = a.containsKey("validation") ? Path.of(a.get("validation")) : TransactionDataset.write(
                out.resolve("data/validation.jsonl"), Integer.parseInt(a.getOrDefault("validation-size", "100")),
                seed + 1);
        TrainingConfig config = TrainingConfig.builder().seed(seed)
                .learningRate(Double.parseDouble(a.getOrDefault("lr", String.valueOf(method.learningRate()))))
                .schedule(LrSchedule.Kind.COSINE, 10).maxSteps(Integer.parseInt(a.getOrDefault("steps", "150")))
                .batch(Integer.parseInt(a.getOrDefault("batch", "16")), 1).evaluation(50, 0, 0).build();
        try (CausalLM model = Models.load(modelDir, LoadOptions.auto()); Tokenizer tok = Tokenizer.load(modelDir)) {
            run(method.wireName(), method.config(), config, model, tok, modelDir, trainFile, valFile, out);
        }
    }

    /** The whole flow; returns the manifest it wrote to {@code out/manifest.json}. */
    static RunManifest run(String name, AdapterConfig adapterConfig, TrainingConfig config, CausalLM model,
                           Tokenizer tok, Path modelDir, Path trainFile, Path valFile, Path out) {
        PeftModel peft = new PeftModel(model);
        int virtual = adapterConfig instanceof io.peftflow.core.tuners.prompt.PromptTuningConfig p
                ? p.numVirtualTokens() : 0;
        SequenceEncoder encoder = new SequenceEncoder(tok, null, tok.maxLength() - virtual, OverLongPolicy.TRUNCATE,
                false);
        List<Example> trainEx = Examples.read(trainFile);
        List<Example> valEx = Examples.read(valFile);
        EncodedDataset train = encoder.encode(trainEx);
        EncodedDataset val = encoder.encode(valEx);
        System.out.println("train: " + train.summary() + "\nvalidation: " + val.summary());
        long pad = tok.padId().orElse(tok.eosId().orElse(0L));
        int maxNew = 8;
        LossMetrics baseLoss = Evaluator.loss(peft, val, config.batchSize(), pad);
        ExactMatch baseExact = Evaluator.exactMatch(peft, encoder, valEx, maxNew, 64);
        peft.add(name, adapterConfig, config.seed());
        System.out.println(name + ": " + peft.trainableParametersReport());
        TrainResult result = new Trainer(peft, config, pad).checkpoints(out.resolve("checkpoint"))
                .listener(new TrainingListener() {
                    @Override
                    public void onStep(StepProgress p) {
                        if (p.step() % 10 == 0 || p.step() == p.totalSteps()) {
                            System.out.printf(Locale.ROOT, "step %d/%d epoch %d loss %.4f lr %.2e %.0f tok/s"
                                            + " eta %.0fs%n", p.step(), p.totalSteps(), p.epoch(), p.loss(),
                                    p.learningRate(), p.tokensPerSecond(), p.etaSeconds());
                        }
                    }

                    @Override
                    public void onEvaluation(int step, LossMetrics m) {
                        System.out.printf(Locale.ROOT, "eval @%d: loss %.4f ppl %.2f token acc %.3f%n", step,
                                m.loss(), m.perplexity(), m.tokenAccuracy());
                    }
                }).train(train, val);
        LossMetrics tunedLoss = Evaluator.loss(peft, val, config.batchSize(), pad);
        ExactMatch tunedExact = Evaluator.exactMatch(peft, encoder, valEx, maxNew, 64);
        Path adapterDir = out.resolve("adapter");
        peft.save(name, adapterDir, modelDir.toString());
        RunManifest manifest = new RunManifest(config.seed())
                .baseModel(modelDir, model.device().toString(), model.dtype().toString())
                .dataset("train", trainFile, encoder, train).dataset("validation", valFile, encoder, val)
                .adapter(name, peft.adapter(name).configJson(modelDir.toString()), peft.trainableParameterCount(),
                        adapterDir)
                .training(config, result).metrics("base", baseLoss, baseExact).metrics("tuned", tunedLoss, tunedExact);
        manifest.write(out.resolve("manifest.json"));
        System.out.printf(Locale.ROOT, "%n%-6s %10s %10s %10s %12s %12s%n", "model", "eval loss", "perplexity",
                "token acc", "exact match", "macro exact");
        print("base", baseLoss, baseExact);
        print("tuned", tunedLoss, tunedExact);
        System.out.println("adapter: " + adapterDir + "\nmanifest: " + out.resolve("manifest.json"));
        return manifest;
    }

    private static void print(String which, LossMetrics l, ExactMatch e) {
        System.out.printf(Locale.ROOT, "%-6s %10.4f %10.4g %10.3f %12.3f %12.3f%n", which, l.loss(), l.perplexity(),
                l.tokenAccuracy(), e.accuracy(), e.macroAccuracy());
    }

    private static Map<String, String> parse(String[] argv) {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + String.join(" ", argv));
            }
            a.put(argv[i].substring(2), argv[++i]);
        }
        return a;
    }
}
