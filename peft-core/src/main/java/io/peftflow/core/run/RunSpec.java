package io.peftflow.core.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.data.OverLongPolicy;
import io.peftflow.core.training.TrainingConfig;
import io.peftflow.core.tuners.AdapterConfig;
import io.peftflow.core.tuners.PeftMethod;
import io.peftflow.core.tuners.PeftMethods;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One training job, all on local disk: what a worker has after downloading the base model and the dataset splits.
 *
 * @param baseModelDir a Hugging Face checkpoint directory (config.json, tokenizer.json, *.safetensors)
 * @param baseModelId the base model's name for lineage ({@code base_model_name_or_path} in the adapter config and
 *     the manifest), e.g. {@code TinyLlama/TinyLlama-1.1B-Chat-v1.0} or a registry URI
 * @param trainFile / validationFile JSONL examples (peft-data's formats)
 * @param method the method's job name ({@link PeftMethods#names()}: lora, seq_bn, double_seq_bn, prompt_tuning)
 * @param adapterConfig that method's config ({@link PeftMethods#config} builds it from JSON hyperparameters)
 * @param training hyperparameters of the optimisation, including the seed
 * @param device "auto" (CUDA when visible, else CPU), "cpu", "cuda" or "cuda:N"; fp16 on CUDA, fp32 on CPU
 * @param outputDir where {@code adapter/}, {@code checkpoint/}, {@code snapshots/} and {@code manifest.json} go
 * @param resumeFrom a checkpoint directory of an earlier run of this spec to continue from (its step counter
 *     continues), or null
 * @param maxLength the most tokens a sequence may have; 0 for the tokenizer's context
 * @param overLong what to do with longer examples
 * @param trainOnPrompt whether prompt tokens carry loss too
 * @param initFrom a PEFT adapter directory (an earlier run's {@code adapter/}) whose weights the adapter starts from
 *     instead of its initialisation (a warm start), or null; its config must be {@code adapterConfig} and its base
 *     model {@code baseModelId}. Ignored when resuming: the checkpoint holds the weights
 * @param stackOn PEFT adapter directories (registered adapters of the same base model) applied frozen, in order,
 *     under the new adapter: only the new adapter trains and is saved; empty for a plain run. Up to
 *     {@link #MAX_STACK_ON}; at most one prompt-tuning adapter in the whole stack (virtual tokens go in front once)
 * @param snapshotEvery save the adapter as it is every this many updates and after the last one, in PEFT's format
 *     under {@code snapshots/step-N/} (HF Trainer's {@code save_steps}), to compare steps outside the run; 0: none
 */
public record RunSpec(Path baseModelDir, String baseModelId, Path trainFile, Path validationFile, String method,
                      AdapterConfig adapterConfig, TrainingConfig training, String device, Path outputDir,
                      Path resumeFrom, int maxLength, OverLongPolicy overLong, boolean trainOnPrompt,
                      Path initFrom, List<Path> stackOn, int snapshotEvery) {
    /** Frozen adapters a run may train on: with the new one, a served stack's most layers (four). */
    public static final int MAX_STACK_ON = 3;

    public RunSpec {
        require(baseModelDir, "baseModelDir");
        require(trainFile, "trainFile");
        require(validationFile, "validationFile");
        require(adapterConfig, "adapterConfig");
        require(training, "training");
        require(outputDir, "outputDir");
        require(overLong, "overLong");
        PeftMethod registered = PeftMethods.named(method);
        if (!registered.peftType().equals(adapterConfig.peftType())) {
            throw PeftCoreException.invalidField("method", "method " + method + " takes a " + registered.peftType()
                    + " config, got " + adapterConfig.peftType());
        }
        method = method.toLowerCase(Locale.ROOT);
        baseModelId = baseModelId == null || baseModelId.isBlank() ? baseModelDir.toString() : baseModelId;
        device = device == null || device.isBlank() ? "auto" : device;
        stackOn = stackOn == null ? List.of() : List.copyOf(stackOn);
        if (stackOn.size() > MAX_STACK_ON) {
            throw PeftCoreException.invalidField("stackOn", "a run stacks on at most " + MAX_STACK_ON
                    + " adapters, got " + stackOn.size());
        }
        if (maxLength < 0) {
            throw PeftCoreException.invalidField("maxLength", "maxLength must be >= 0 (0: the model's), got "
                    + maxLength);
        }
        if (snapshotEvery < 0) {
            throw PeftCoreException.invalidField("snapshotEvery", "snapshotEvery must be >= 0 (0: no snapshots), got "
                    + snapshotEvery);
        }
    }

    /** Where the adapter snapshot of update {@code step} goes ({@link #snapshotEvery}). */
    public Path snapshotDir(int step) {
        return outputDir.resolve("snapshots").resolve("step-" + step);
    }

    public long seed() {
        return training.seed();
    }

    public static Builder builder() {
        return new Builder();
    }

    private static void require(Object v, String field) {
        if (v == null) {
            throw PeftCoreException.invalidField(field, field + " is required");
        }
    }

    /** Mutable builder; {@link #build()} validates. Defaults: device auto, the model's context, TRUNCATE. */
    public static final class Builder {
        private Path baseModelDir;
        private String baseModelId;
        private Path trainFile;
        private Path validationFile;
        private String method;
        private AdapterConfig adapterConfig;
        private TrainingConfig training;
        private String device = "auto";
        private Path outputDir;
        private Path resumeFrom;
        private int maxLength;
        private OverLongPolicy overLong = OverLongPolicy.TRUNCATE;
        private boolean trainOnPrompt;
        private Path initFrom;
        private List<Path> stackOn = List.of();
        private int snapshotEvery;

        public Builder baseModel(Path dir, String id) {
            baseModelDir = dir;
            baseModelId = id;
            return this;
        }

        public Builder data(Path train, Path validation) {
            trainFile = train;
            validationFile = validation;
            return this;
        }

        /** The method and its config. */
        public Builder method(String name, AdapterConfig config) {
            method = name;
            adapterConfig = config;
            return this;
        }

        /** The method and its config from JSON hyperparameters (PEFT's keys; errors name the key). */
        public Builder method(String name, JsonNode hyperparameters) {
            return method(name, PeftMethods.config(name, hyperparameters));
        }

        public Builder training(TrainingConfig config) {
            training = config;
            return this;
        }

        public Builder device(String spec) {
            device = spec;
            return this;
        }

        public Builder output(Path dir) {
            outputDir = dir;
            return this;
        }

        public Builder resumeFrom(Path checkpointDir) {
            resumeFrom = checkpointDir;
            return this;
        }

        /** Warm start: the adapter begins with the weights saved in {@code adapterDir}. */
        public Builder initFrom(Path adapterDir) {
            initFrom = adapterDir;
            return this;
        }

        /** Frozen adapters under the new one, bottom first (PEFT adapter directories). */
        public Builder stackOn(List<Path> adapterDirs) {
            stackOn = adapterDirs;
            return this;
        }

        /** An adapter snapshot every {@code everySteps} updates and after the last; 0 (default): none. */
        public Builder snapshots(int everySteps) {
            snapshotEvery = everySteps;
            return this;
        }

        public Builder encoding(int maxTokens, OverLongPolicy policy, boolean onPrompt) {
            maxLength = maxTokens;
            overLong = policy;
            trainOnPrompt = onPrompt;
            return this;
        }

        public RunSpec build() {
            return new RunSpec(baseModelDir, baseModelId, trainFile, validationFile, method, adapterConfig, training,
                    device, outputDir, resumeFrom, maxLength, overLong, trainOnPrompt, initFrom, stackOn, snapshotEvery);
        }
    }
}
