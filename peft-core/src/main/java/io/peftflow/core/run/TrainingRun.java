package io.peftflow.core.run;

import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.checkpoint.Json;
import io.peftflow.core.data.EncodedDataset;
import io.peftflow.core.data.Examples;
import io.peftflow.core.data.SequenceEncoder;
import io.peftflow.core.device.Devices;
import io.peftflow.core.evaluation.EvalMetrics;
import io.peftflow.core.evaluation.Evaluator;
import io.peftflow.core.evaluation.ExactMatch;
import io.peftflow.core.scoring.LabelSet;
import io.peftflow.core.evaluation.LossMetrics;
import io.peftflow.core.manifest.RunManifest;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.model.ModelConfig;
import io.peftflow.core.model.Models;
import io.peftflow.core.planner.Plan;
import io.peftflow.core.planner.Planner;
import io.peftflow.core.tokenizer.Tokenizer;
import io.peftflow.core.training.TrainResult;
import io.peftflow.core.training.Trainer;
import io.peftflow.core.training.TrainingConfig;
import io.peftflow.core.training.TrainingListener;
import io.peftflow.core.training.TrainingSlot;
import io.peftflow.core.training.StepProgress;
import io.peftflow.core.tuners.AdapterConfig;
import io.peftflow.core.tuners.AdapterFiles;
import io.peftflow.core.tuners.WarmStart;
import io.peftflow.core.tuners.PeftModel;
import io.peftflow.data.Example;
import io.peftflow.data.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One whole training job, the way services and the CLI run it: load the base model, measure it on the validation
 * split, add the adapter, train (or resume), measure the adapter on the same split, save it in PEFT's format and
 * write the run manifest.
 *
 * <pre>{@code
 * RunSpec spec = RunSpec.builder().baseModel(modelDir, "TinyLlama/TinyLlama-1.1B-Chat-v1.0")
 *         .data(trainJsonl, validationJsonl)
 *         .method("lora", hyperparameters)   // {"r": 8, "lora_alpha": 16, "target_modules": ["q_proj", "v_proj"]}
 *         .training(TrainingConfig.builder().seed(42).learningRate(2e-4).maxSteps(500).build())
 *         .device("auto").output(workDir).build();
 * RunResult r = new TrainingRun(spec).listener(progress).cancelToken(token).checkpointSink(uploader).run();
 * }</pre>
 *
 * One run per JVM ({@link TrainingSlot}): a second run started while one is active fails at once.
 */
public final class TrainingRun {
    /** The adapter's name inside the model, as PEFT names a single adapter. */
    public static final String ADAPTER_NAME = "default";

    private final RunSpec spec;
    private RunListener listener = RunListener.NONE;
    private CancelToken cancelToken = new CancelToken();
    private CheckpointSink sink = CheckpointSink.NONE;

    public TrainingRun(RunSpec spec) {
        this.spec = spec;
    }

    public TrainingRun listener(RunListener l) {
        this.listener = l;
        return this;
    }

    public TrainingRun cancelToken(CancelToken token) {
        this.cancelToken = token;
        return this;
    }

    public TrainingRun checkpointSink(CheckpointSink s) {
        this.sink = s;
        return this;
    }

    /**
     * The up-front check, without weights or an engine: parameter counts and device memory of training
     * {@code adapter} on the model of {@code configJson} at the config's micro-batch size and {@code seqLength}
     * tokens (0: the model's context), in {@code dtype} (FLOAT16 on CUDA). Errors (a target module the model lacks)
     * name the config field; {@link Plan#fits} compares with a device's memory.
     */
    public static Plan plan(Path configJson, AdapterConfig adapter, TrainingConfig training, int seqLength,
                            DataType dtype) {
        ModelConfig config = ModelConfig.parse(Json.read(configJson), configJson);
        return Planner.plan(config, adapter, training.batchSize(), seqLength > 0 ? seqLength : config.maxPositions(),
                dtype);
    }

    public RunResult run() {
        try (TrainingSlot slot = TrainingSlot.acquire("TrainingRun -> " + spec.outputDir())) {
            // Seed first: adapter initialisation and dropout draw from it.
            Engine.getInstance().setRandomSeed((int) spec.seed());
            listener.onPhase(RunListener.Phase.LOADING);
            List<Example> trainExamples = Examples.read(spec.trainFile());
            List<Example> validationExamples = Examples.read(spec.validationFile());
            var device = Devices.pick(spec.device());
            try (CausalLM model = Models.load(spec.baseModelDir(), new LoadOptions(device,
                    Devices.defaultDtype(device)));
                 Tokenizer tok = Tokenizer.load(spec.baseModelDir())) {
                return run(model, tok, trainExamples, validationExamples);
            }
        }
    }

    private RunResult run(CausalLM model, Tokenizer tok, List<Example> trainExamples,
                          List<Example> validationExamples) {
        PeftModel peft = new PeftModel(model);
        // Frozen layers first: active adapters apply in the order they were added, the new one on top.
        List<String> stack = new ArrayList<>();
        for (Path dir : spec.stackOn()) {
            String layer = "stack-" + stack.size();
            AdapterFiles.requireBase(dir, spec.baseModelId(), "stack_on adapter " + stack.size());
            peft.load(dir, layer);
            peft.freeze(layer);
            stack.add(layer);
        }
        peft.add(ADAPTER_NAME, spec.adapterConfig().forTokenizer(tok), spec.seed());
        if (spec.initFrom() != null && spec.resumeFrom() == null) {
            WarmStart.load(peft, ADAPTER_NAME, spec.initFrom(), spec.baseModelId());
        }
        int context = spec.maxLength() > 0 ? Math.min(spec.maxLength(), tok.maxLength()) : tok.maxLength();
        SequenceEncoder encoder = new SequenceEncoder(tok, null, context - peft.virtualTokens(), spec.overLong(),
                spec.trainOnPrompt());
        EncodedDataset train = encoder.encode(trainExamples);
        EncodedDataset validation = encoder.encode(validationExamples);
        long pad = tok.padId().orElse(tok.eosId().orElse(0L));
        int batch = spec.training().batchSize();
        int answerTokens = Evaluator.answerTokens(encoder, validationExamples);
        LabelSet labels = LabelSet.of(trainExamples);

        listener.onPhase(RunListener.Phase.BASE_EVALUATION);
        // "base" is what the new adapter starts from: the base model, through the frozen stack if there is one.
        peft.setActive(stack.toArray(String[]::new));
        EvalMetrics base = evaluate(peft, encoder, validation, validationExamples, batch, pad, answerTokens,
                labels);
        ExactMatch.Majority majority = ExactMatch.majority(validationExamples);
        stack.add(ADAPTER_NAME);
        peft.setActive(stack.toArray(String[]::new));

        listener.onPhase(RunListener.Phase.TRAINING);
        Path checkpointDir = spec.outputDir().resolve("checkpoint");
        Trainer trainer = new Trainer(peft, spec.training(), pad).checkpoints(checkpointDir)
                .cancellation(cancelToken::isCancelled).listener(new TrainingListener() {
                    @Override
                    public void onStep(StepProgress progress) {
                        listener.onStep(progress);
                        int step = progress.step();
                        if (spec.snapshotEvery() > 0
                                && (step % spec.snapshotEvery() == 0 || step == progress.totalSteps())) {
                            Path dir = spec.snapshotDir(step);
                            peft.save(ADAPTER_NAME, dir, spec.baseModelId());
                            listener.onSnapshot(step, dir);
                        }
                    }

                    @Override
                    public void onEvaluation(int step, LossMetrics metrics) {
                        listener.onEvaluation(step, metrics);
                    }

                    @Override
                    public void onCheckpoint(int step, Path dir) {
                        sink.saved(step, dir);
                        listener.onCheckpoint(step, dir);
                    }
                });
        TrainResult result = spec.resumeFrom() != null ? trainer.resume(spec.resumeFrom(), train, validation)
                : trainer.train(train, validation);
        boolean cancelled = result.status() == TrainResult.Status.CANCELLED;

        EvalMetrics tuned = null;
        if (!cancelled) {
            listener.onPhase(RunListener.Phase.TUNED_EVALUATION);
            tuned = evaluate(peft, encoder, validation, validationExamples, batch, pad, answerTokens,
                labels);
        }
        listener.onPhase(RunListener.Phase.SAVING);
        Path adapterDir = cancelled ? null : spec.outputDir().resolve("adapter");
        if (adapterDir != null) {
            peft.save(ADAPTER_NAME, adapterDir, spec.baseModelId());
        }
        RunManifest manifest = new RunManifest(spec.seed())
                .baseModel(spec.baseModelDir(), spec.baseModelId(), model.device().toString(),
                        model.dtype().toString())
                .dataset("train", spec.trainFile(), encoder, train)
                .dataset("validation", spec.validationFile(), encoder, validation)
                .adapter(spec.method(), peft.adapter(ADAPTER_NAME).configJson(spec.baseModelId()),
                        peft.trainableParameterCount(), adapterDir)
                .stackOn(spec.stackOn()).training(spec.training(), result).metrics("base", base).majorityBaseline(majority)
                .serving(labels);
        if (tuned != null) {
            manifest.metrics("tuned", tuned);
        }
        Path manifestFile = spec.outputDir().resolve("manifest.json");
        manifest.write(manifestFile);
        Map<String, String> versions = new LinkedHashMap<>();
        RunManifest.versions().fields().forEachRemaining(e -> versions.put(e.getKey(), e.getValue().asText()));
        return new RunResult(result.status(), result.steps(), result.tokensPerSecond(), base, tuned, majority,
                peft.trainableParameterCount(), adapterDir, adapterDir == null ? List.of() : files(adapterDir),
                checkpointDir, manifestFile, versions, result);
    }

    private static EvalMetrics evaluate(PeftModel peft, SequenceEncoder encoder, EncodedDataset validation,
                                        List<Example> examples, int batch, long pad, int answerTokens,
                                        LabelSet labels) {
        LossMetrics loss = Evaluator.loss(peft, validation, batch, pad);
        return new EvalMetrics(loss, Evaluator.exactMatch(peft, encoder, examples, answerTokens, 64),
                labels.classifies() ? Evaluator.labelAccuracy(peft, encoder, labels, examples) : null);
    }

    private static List<RunResult.OutputFile> files(Path dir) {
        List<RunResult.OutputFile> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                out.add(new RunResult.OutputFile(f.getFileName().toString(), f, Files.size(f), Sha256.hex(f)));
            }
        } catch (IOException e) {
            throw new PeftCoreException("cannot list the adapter: " + e.getMessage(), dir, null, e);
        }
        return out;
    }
}
