package io.peftflow.trainer.validation;

import io.peftflow.kit.problem.FieldError;
import ai.djl.ndarray.types.DataType;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.planner.Plan;
import io.peftflow.core.run.TrainingRun;
import io.peftflow.core.training.TrainingConfig;
import io.peftflow.core.tuners.AdapterConfig;
import io.peftflow.core.tuners.PeftMethods;
import io.peftflow.events.contract.BaseModelId;
import io.peftflow.events.contract.ResourceName;
import io.peftflow.events.training.DatasetRef;
import io.peftflow.trainer.TrainerConfig;
import io.peftflow.trainer.datasets.KnownVersion;
import io.peftflow.trainer.datasets.KnownVersions;
import io.peftflow.trainer.jobs.FineTuningJob;
import io.peftflow.trainer.jobs.InitFrom;
import io.peftflow.trainer.jobs.Recipe;
import io.peftflow.trainer.jobs.WarmStarts;
import io.peftflow.trainer.models.BaseModels;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks a job before anything is queued: the dataset version is one dataset-service announced, the base model is in
 * the models bucket, the method and its hyperparameters are valid for peft-core, the training settings are sane, and
 * peft-core's planner says the run fits the workers' device. Every error names the request field at fault.
 */
@ApplicationScoped
public class JobValidator {
    private final KnownVersions versions;
    private final BaseModels models;
    private final TrainerConfig config;
    private final WarmStarts warmStarts;

    public JobValidator(KnownVersions versions, BaseModels models, TrainerConfig config, WarmStarts warmStarts) {
        this.versions = versions;
        this.models = models;
        this.config = config;
        this.warmStarts = warmStarts;
    }

    /**
     * The recipe (already {@link #recipe checked} and resolved) with its {@code init_from} pinned to the version and
     * job it loads: a registered version this service trained, of the same base model, method and method config
     * (the weights must fit), not trained on deleted data.
     *
     * @throws InvalidRequest naming {@code init_from.*}, {@code model}, {@code method.type} or
     *         {@code method.hyperparameters}
     */
    public Recipe parent(String tenant, Recipe r) {
        InitFrom i = r.initFrom();
        if (i == null) {
            return r;
        }
        if (!ResourceName.valid(i.adapter())) {
            throw InvalidRequest.of("init_from.adapter", ResourceName.message("init_from.adapter", i.adapter()));
        }
        int version;
        if (i.alias() != null) {
            if (!InitFrom.CHAMPION.equals(i.alias())) {
                throw InvalidRequest.of("init_from.alias", "init_from.alias must be \"champion\" (or name a version), got "
                        + quote(i.alias()));
            }
            version = warmStarts.champion(tenant, i.adapter()).orElseThrow(() -> InvalidRequest.of("init_from.alias",
                    "adapter '" + i.adapter() + "' has no champion yet"));
        } else if (i.version() == null || i.version() < 1) {
            throw InvalidRequest.of("init_from.version", "init_from.version must be >= 1, got " + i.version());
        } else {
            version = i.version();
        }
        String name = i.adapter() + " v" + version;
        FineTuningJob parent = warmStarts.trainedBy(tenant, i.adapter(), version).orElseThrow(() -> InvalidRequest.of(
                i.alias() != null ? "init_from.alias" : "init_from.version", "no adapter " + name
                        + " trained and registered here to start from"));
        Recipe p = parent.recipe;
        if (!p.baseModel().equals(r.baseModel())) {
            throw InvalidRequest.of("model", "init_from " + name + " was trained on base model '" + p.baseModel()
                    + "', this job's is '" + r.baseModel() + "': a warm start needs the same base model");
        }
        if (!p.method().equals(r.method())) {
            throw InvalidRequest.of("method.type", "init_from " + name + " is a " + p.method() + " adapter, this job"
                    + " trains " + r.method() + ": a warm start needs the same method");
        }
        if (!p.hyperparameters().equals(r.hyperparameters())) {
            throw InvalidRequest.of("method.hyperparameters", "init_from " + name + " has hyperparameters "
                    + p.hyperparameters() + ", this job's are " + r.hyperparameters()
                    + ": a warm start needs the same method config (its weights must fit)");
        }
        if (warmStarts.trainedOnDeletedData(parent)) {
            throw InvalidRequest.of("init_from", "init_from " + name + " was trained on dataset '" + parent.datasetName
                    + "' version " + parent.datasetVersion + ", which was deleted: it is never a warm start's parent");
        }
        return r.withInitFrom(i.resolved(version, parent.id));
    }

    /**
     * The dataset version a job trains on ({@code version} 0: the latest known not deleted), with its split hashes;
     * a deleted version is refused.
     *
     * @throws InvalidRequest naming {@code dataset} or {@code dataset_version}; it leaves the caller's transaction
     *         committable: a refusal is an answer, and {@code RequestValidation} records it in that transaction
     *         (rolled back, the refused job and every job validated with it would stay {@code validating_files})
     */
    @Transactional(dontRollbackOn = InvalidRequest.class)
    public DatasetRef dataset(String tenant, String name, int version) {
        if (!ResourceName.valid(name)) {
            throw InvalidRequest.of("dataset", ResourceName.message("dataset", name));
        }
        if (!versions.anyVersion(tenant, name)) {
            throw InvalidRequest.of("dataset", "unknown dataset '" + name + "': no version of it has been announced");
        }
        if (version == 0) {
            KnownVersion latest = versions.latest(tenant, name).orElseThrow(() -> InvalidRequest.of("dataset_version",
                    "dataset '" + name + "' has no version left: every version was deleted"));
            return new DatasetRef(name, latest.version, latest.trainSha256, latest.validationSha256);
        }
        KnownVersion v = versions.version(tenant, name, version).orElseThrow(() -> InvalidRequest.of("dataset_version",
                "dataset '" + name + "' has no version " + version + " (latest: "
                        + versions.latest(tenant, name).map(l -> l.version).orElse(0) + ")"));
        if (v.deletedAt != null) {
            throw InvalidRequest.of("dataset_version", KnownVersions.deleted(name, version));
        }
        return new DatasetRef(name, v.version, v.trainSha256, v.validationSha256);
    }

    /**
     * Everything about the recipe; the plan is checked once the rest is valid.
     *
     * @return the recipe with its omitted or {@code "auto"} settings chosen by {@link AutoSettings} for its method
     *         and model size: what the job trains with
     * @throws InvalidRequest with every field at fault
     */
    public Recipe recipe(Recipe r) {
        List<FieldError> errors = new ArrayList<>();
        // The registry's rule: a name it would refuse never trains.
        if (!ResourceName.valid(r.adapterName())) {
            errors.add(new FieldError("adapter_name", ResourceName.message("adapter_name", r.adapterName())));
        }
        boolean modelKnown = false;
        if (!BaseModelId.valid(r.baseModel())) {
            errors.add(new FieldError("model", BaseModelId.message("model", r.baseModel())));
        } else if (!models.exists(r.baseModel())) {
            errors.add(new FieldError("model", "unknown base model " + quote(r.baseModel()) + ": no "
                    + "s3://" + config.modelsBucket() + "/" + r.baseModel() + "/config.json"));
        } else {
            modelKnown = true;
        }
        Recipe resolved = modelKnown ? withDefaults(r) : r;
        AdapterConfig adapter = null;
        try {
            adapter = PeftMethods.config(r.method() == null ? "" : r.method(), resolved.hyperparameters());
        } catch (PeftCoreException e) {
            errors.add(methodError(e));
        }
        List<FieldError> training = TrainingConfigs.check(resolved.training());
        errors.addAll(training);
        if (!errors.isEmpty()) {
            throw new InvalidRequest(errors);
        }
        plan(resolved, adapter);
        return resolved;
    }

    /**
     * The recipe with its omitted or {@code "auto"} settings chosen by {@link AutoSettings}; unchanged when its model
     * or method is unknown (the validation says so).
     */
    public Recipe withDefaults(Recipe r) {
        try {
            PeftMethods.named(r.method());
            if (!BaseModelId.valid(r.baseModel()) || !models.exists(r.baseModel())) {
                return r;
            }
            return AutoSettings.resolve(r, AutoSettings.parameters(models.configJson(r.baseModel())));
        } catch (PeftCoreException e) {
            return r;
        }
    }

    private void plan(Recipe r, AdapterConfig adapter) {
        TrainingConfig training;
        try {
            training = TrainingConfigs.of(r.training(), r.seed(), config.checkpointEverySteps());
        } catch (PeftCoreException e) {
            throw InvalidRequest.of("training", e.getMessage());
        }
        Plan plan;
        try {
            plan = TrainingRun.plan(models.configJson(r.baseModel()), adapter, training, config.planSequenceLength(),
                    config.workerGpu() ? DataType.FLOAT16 : DataType.FLOAT32);
        } catch (PeftCoreException e) {
            throw new InvalidRequest(List.of(methodError(e)));
        }
        long device = config.workerDeviceMemory().asLongValue();
        if (!plan.fits(device)) {
            throw InvalidRequest.of("training.batch_size", String.format(Locale.ROOT,
                    "the plan does not fit the workers' device: it needs %.2f GiB (weights %.2f, adapter and optimizer "
                            + "%.2f, activations %.2f at batch %d x %d tokens) of %.2f GiB; lower batch_size, or r",
                    gib(plan.memory().total() + Plan.CUDA_CONTEXT_BYTES), gib(plan.memory().weights()),
                    gib(plan.memory().adapter() + plan.memory().gradients() + plan.memory().optimizer()),
                    gib(plan.memory().activations()), training.batchSize(), config.planSequenceLength(), gib(device)));
        }
    }

    /** peft-core names the config key at fault ({@code r}, {@code target_modules}) or {@code method}. */
    private static FieldError methodError(PeftCoreException e) {
        String field = e.field();
        if (field == null || field.equals("method")) {
            return new FieldError(field == null ? "method" : "method.type", e.getMessage());
        }
        return new FieldError("method.hyperparameters." + field, e.getMessage());
    }

    private static double gib(long bytes) {
        return bytes / (double) (1L << 30);
    }

    private static String quote(String s) {
        return s == null ? "nothing" : "'" + (s.length() > 70 ? s.substring(0, 70) + "…" : s) + "'";
    }
}
