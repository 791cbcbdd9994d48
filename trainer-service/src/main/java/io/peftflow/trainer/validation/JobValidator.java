package io.peftflow.trainer.validation;

import io.peftflow.kit.problem.FieldError;
import ai.djl.ndarray.types.DataType;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.planner.Plan;
import io.peftflow.core.run.MethodPreset;
import io.peftflow.core.run.RunSpec;
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
import io.peftflow.trainer.jobs.StackOn;
import io.peftflow.trainer.jobs.WarmStarts;
import io.peftflow.trainer.models.BaseModels;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

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
     * The recipe (already {@link #recipe checked} and resolved) with its {@code stack_on} ({@link #stack}) and
     * {@code init_from} ({@link #parent}) pinned to the versions and jobs they load.
     */
    public Recipe lineage(String tenant, Recipe r) {
        return parent(tenant, stack(tenant, r));
    }

    /**
     * The recipe with its {@code init_from} pinned to the version and job it loads: a registered version this service
     * trained, of the same base model, method and method config (the weights must fit), on the same frozen stack as
     * the job (its weights were trained on it), not archived, not trained on deleted data.
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
        if (i.alias() == null && (i.version() == null || i.version() < 1)) {
            throw InvalidRequest.of("init_from.version", "init_from.version must be >= 1, got " + i.version());
        }
        FineTuningJob parent = registered(tenant, "init_from", i.adapter(), i.version(), i.alias(),
                part -> part.isEmpty() ? "init_from" : "init_from." + part);
        String name = i.adapter() + " v" + parent.registeredVersion;
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
        if (!StackOn.sameVersions(StackOn.of(p), StackOn.of(r))) {
            throw InvalidRequest.of("init_from", "init_from " + name + " was trained on top of " + StackOn.of(p)
                    + ", this job on " + StackOn.of(r) + ": a warm start needs the same frozen stack beneath it");
        }
        return r.withInitFrom(i.resolved(parent.registeredVersion, parent.id));
    }

    /**
     * The recipe with its {@code stack_on} resolved to the versions and jobs it loads, bottom first: each layer a
     * registered version this service trained, of the job's base model, not archived, not trained on deleted data,
     * with its own stack directly beneath it (added when not named); each adapter once, never the job's own; at most
     * {@link RunSpec#MAX_STACK_ON} layers in all and one prompt-tuning adapter with the job's.
     *
     * @throws InvalidRequest naming {@code stack_on[i]} or {@code stack_on}
     */
    Recipe stack(String tenant, Recipe r) {
        List<StackOn.Layer> asked = StackOn.of(r);
        if (asked.isEmpty()) {
            return r;
        }
        List<StackOn.Layer> stack = new ArrayList<>();
        for (int i = 0; i < asked.size(); i++) {
            String field = "stack_on[" + i + "]";
            StackOn.Layer a = asked.get(i);
            FineTuningJob trained = registered(tenant, field, a.adapter(), a.version(), a.alias(), part -> field);
            StackOn.Layer layer = a.resolved(trained.registeredVersion, trained.id);
            if (!trained.recipe.baseModel().equals(r.baseModel())) {
                throw InvalidRequest.of(field, "stack_on " + layer + " was trained on base model '"
                        + trained.recipe.baseModel() + "', this job's is '" + r.baseModel()
                        + "': a stack shares one base model");
            }
            List<StackOn.Layer> beneath = StackOn.of(trained.recipe);
            beneath.stream().filter(b -> stack.stream().noneMatch(b::sameVersion)).forEach(stack::add);
            if (stack.stream().anyMatch(s -> s.adapter().equals(layer.adapter()))) {
                throw InvalidRequest.of(field, "stack_on holds adapter '" + layer.adapter() + "' twice: a stack holds"
                        + " each adapter once");
            }
            if (!StackOn.sameVersions(beneath, stack)) {
                throw InvalidRequest.of(field, "stack_on " + layer + " was trained on top of " + beneath
                        + " and must sit directly on it; here it would sit on " + stack);
            }
            stack.add(layer);
        }
        if (stack.stream().anyMatch(s -> s.adapter().equals(r.adapterName()))) {
            throw InvalidRequest.of("stack_on", "stack_on holds a version of '" + r.adapterName() + "', the adapter"
                    + " this job trains: an adapter is never stacked on itself");
        }
        if (stack.size() > RunSpec.MAX_STACK_ON) {
            throw InvalidRequest.of("stack_on", "stack_on with its layers' own stacks holds " + stack.size()
                    + " adapters " + stack + "; at most " + RunSpec.MAX_STACK_ON);
        }
        String prompt = MethodPreset.PROMPT_TUNING.wireName();
        long prompts = (prompt.equals(r.method()) ? 1 : 0) + stack.stream().filter(l -> prompt.equals(
                FineTuningJob.<FineTuningJob>findById(l.jobId()).recipe.method())).count();
        if (prompts > 1) {
            throw InvalidRequest.of("stack_on", "a stack holds one prompt-tuning adapter at most (virtual tokens go"
                    + " in front once), this one with the job's holds " + prompts);
        }
        return r.withStackOn(new StackOn(stack));
    }

    /**
     * The succeeded job that trained the version {@code version}, or {@code alias} ({@code champion} only: the one
     * this service follows), of the tenant's {@code adapter}: registered, not archived, not trained on deleted data.
     *
     * @param field the request field of each part ({@code version}, {@code alias}) of the reference, or of it whole
     *              ({@code ""}), that a refusal names
     */
    private FineTuningJob registered(String tenant, String role, String adapter, Integer version, String alias,
                                     UnaryOperator<String> field) {
        int v;
        if (alias != null) {
            if (!InitFrom.CHAMPION.equals(alias)) {
                throw InvalidRequest.of(field.apply("alias"), role + "'s alias must be \"champion\" (or name a version),"
                        + " got " + quote(alias) + ": the champion is the alias this service follows");
            }
            v = warmStarts.champion(tenant, adapter).orElseThrow(() -> InvalidRequest.of(field.apply("alias"),
                    "adapter '" + adapter + "' has no champion yet"));
        } else {
            v = version;
        }
        String name = adapter + " v" + v;
        FineTuningJob trained = warmStarts.trainedBy(tenant, adapter, v).orElseThrow(() -> InvalidRequest.of(
                field.apply(alias != null ? "alias" : "version"), "no adapter " + name
                        + " trained and registered here to load (" + role + ")"));
        if (warmStarts.archived(tenant, adapter, v)) {
            throw InvalidRequest.of(field.apply(alias != null ? "alias" : "version"), role + " " + name
                    + " is archived: its files are no longer served");
        }
        if (warmStarts.trainedOnDeletedData(trained)) {
            throw InvalidRequest.of(field.apply(""), role + " " + name + " was trained on dataset '"
                    + trained.datasetName + "' version " + trained.datasetVersion + ", which was deleted: it is never"
                    + " loaded by a new job");
        }
        return trained;
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
