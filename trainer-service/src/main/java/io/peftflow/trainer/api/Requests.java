package io.peftflow.trainer.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.peftflow.core.run.RunSpec;
import io.peftflow.events.contract.AdapterRef;
import io.peftflow.events.contract.FileId;
import io.peftflow.events.contract.InvalidValue;
import io.peftflow.events.contract.ResourceName;
import io.peftflow.events.training.DatasetRef;
import io.peftflow.events.training.TrainingSettings;
import io.peftflow.kit.problem.FieldError;
import io.peftflow.trainer.jobs.InitFrom;
import io.peftflow.trainer.jobs.Recipe;
import io.peftflow.trainer.jobs.StackOn;
import io.peftflow.trainer.validation.InvalidRequest;
import io.peftflow.trainer.validation.TrainingConfigs;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the JSON bodies of the job and policy APIs field by field, so that every shape error (a wrong type, an
 * unknown key, a missing value) names its field. Values are checked for meaning later, by the validator.
 * <p>
 * A job request may be written as OpenAI's ({@code training_file}, {@code validation_file}, {@code suffix},
 * {@code method: {type: "supervised", supervised: {hyperparameters}}}, the legacy top-level {@code hyperparameters}):
 * those map onto peftflow's own fields, and a request mixing both spellings of one thing is refused.
 */
final class Requests {
    static final long DEFAULT_SEED = 42;
    private static final Set<String> RECIPE = Set.of("model", "method", "training", "seed", "adapter_name", "init_from");
    private static final Set<String> INIT_FROM = Set.of("adapter", "version", "alias");
    /** A job may train on top of frozen adapters; a policy may not (its fallback is a cold start, never another stack). */
    private static final Set<String> JOB = union(RECIPE, Set.of("dataset", "dataset_version", "training_file",
            "validation_file", "suffix", "hyperparameters", "stack_on"));
    private static final Set<String> POLICY = union(RECIPE, Set.of("min_new_examples", "debounce_seconds"));
    /** OpenAI's training method; peftflow trains it with {@link #DEFAULT_METHOD}. */
    static final String SUPERVISED = "supervised";
    static final String DEFAULT_METHOD = "lora";
    private static final Set<String> METHOD = Set.of("type", "hyperparameters", SUPERVISED);
    private static final Set<String> SUPERVISED_METHOD = Set.of("hyperparameters");
    private static final Set<String> OPENAI_HYPERPARAMETERS = Set.of("n_epochs", "batch_size", "learning_rate_multiplier");
    /** Any text field's limit (names and models have tighter ones, checked by the validator). */
    static final int MAX_TEXT = 256;
    private static final Set<String> TRAINING = Set.of("max_steps", "epochs", "batch_size", "learning_rate",
            "warmup_steps", "eval_every_steps", "checkpoint_every_steps", "early_stopping");
    private static final Set<String> EARLY_STOPPING = Set.of("metric", "patience", "min_delta");

    private final List<FieldError> errors = new ArrayList<>();
    private final String defaultModel;

    private Requests(String defaultModel) {
        this.defaultModel = defaultModel;
    }

    /**
     * {@code POST /fine-tuning/jobs}: the dataset, the version asked for (0: latest) and the recipe.
     *
     * @param trainingFile       the data came as OpenAI's {@code training_file}, not as {@code dataset}
     * @param suffix             the adapter's name came as OpenAI's {@code suffix}, not as {@code adapter_name}
     * @param awaitsAnnouncement the version came as a {@code training_file} naming it: one just uploaded may not be
     *                           announced to this service yet
     */
    record JobBody(String dataset, int version, Recipe recipe, boolean trainingFile, boolean suffix,
                   boolean awaitsAnnouncement) {

        /** The validator's refusal with the fields as this request spelled them. */
        InvalidRequest asSent(InvalidRequest e) {
            return new InvalidRequest(e.errors().stream().map(f -> new FieldError(sent(f.field()), f.reason())).toList());
        }

        private String sent(String field) {
            return switch (field) {
                case "dataset", "dataset_version" -> trainingFile ? "training_file" : field;
                case "adapter_name" -> suffix ? "suffix" : field;
                default -> field;
            };
        }
    }

    /** {@code PUT /fine-tuning/policies/{dataset}}. */
    record PolicyBody(Recipe recipe, long minNewExamples, int debounceSeconds) {
    }

    static JobBody job(JsonNode body, String defaultModel) {
        Requests r = new Requests(defaultModel);
        JsonNode b = r.object(body, "body", JOB);
        DatasetRef data = r.trainingData(b);
        Recipe recipe = r.recipe(b, data.name());
        r.done();
        boolean file = b.hasNonNull("training_file");
        return new JobBody(data.name(), data.version(), recipe, file, b.hasNonNull("suffix"), file && data.version() > 0);
    }

    /** {@code dataset} with {@code dataset_version}, or OpenAI's {@code training_file} (and {@code validation_file}). */
    private DatasetRef trainingData(JsonNode b) {
        String file = text(b, "training_file", false);
        if (file == null) {
            String dataset = text(b, "dataset", false);
            if (dataset == null && !b.hasNonNull("training_file")) {
                errors.add(new FieldError("dataset", "dataset (or OpenAI's training_file) is required"));
            }
            if (b.hasNonNull("validation_file")) {
                errors.add(new FieldError("validation_file", "validation_file goes with training_file"));
            }
            return DatasetRef.of(dataset, version(b.get("dataset_version")));
        }
        for (String peftflowField : new String[] {"dataset", "dataset_version"}) {
            if (b.has(peftflowField)) {
                errors.add(new FieldError(peftflowField, peftflowField + " and training_file both name the data; send one"));
            }
        }
        DatasetRef training = reference("training_file", file);
        String validationFile = text(b, "validation_file", false);
        DatasetRef validation = validationFile == null ? null : reference("validation_file", validationFile);
        // A dataset version is split into train and validation at upload: the validation data is that version's.
        if (training != null && validation != null && (!validation.name().equals(training.name())
                || (validation.version() != 0 && training.version() != 0 && validation.version() != training.version()))) {
            errors.add(new FieldError("validation_file", "validation_file must name training_file's dataset version: "
                    + "each upload is split into train and validation (validation_fraction), and a job validates on "
                    + "the split of its training data"));
        }
        return training == null ? DatasetRef.of(null, 0) : training;
    }

    private DatasetRef reference(String field, String value) {
        return FileId.trainingData(value).orElseGet(() -> {
            errors.add(new FieldError(field, field + " must be " + FileId.TRAINING_DATA_FORMS + ", got '"
                    + (value.length() > 70 ? value.substring(0, 70) + "…" : value) + "'"));
            return null;
        });
    }

    static PolicyBody policy(JsonNode body, String dataset, String defaultModel) {
        Requests r = new Requests(defaultModel);
        JsonNode b = r.object(body, "body", POLICY);
        Recipe recipe = r.recipe(b, dataset);
        if (!b.has("init_from") && recipe.adapterName() != null) {
            // A policy retrains from its adapter's champion unless it says otherwise ("init_from": null: cold).
            recipe = recipe.withInitFrom(InitFrom.champion(recipe.adapterName()));
        }
        Integer min = r.integer(b, "min_new_examples", 0, Integer.MAX_VALUE);
        Integer debounce = r.integer(b, "debounce_seconds", 0, 86_400);
        r.done();
        return new PolicyBody(recipe, min == null ? 0 : min, debounce == null ? 0 : debounce);
    }

    private Recipe recipe(JsonNode b, String dataset) {
        String model = r(text(b, "model", false), defaultModel);
        JsonNode m = b.get("method");
        String method = null;
        JsonNode hyperparameters = null;
        OpenAiHyperparameters openAi = openAiHyperparameters(b.get("hyperparameters"), "hyperparameters");
        if (m != null && m.isTextual()) {
            method = text(b, "method", false);
        } else if (m != null) {
            JsonNode mo = object(m, "method", METHOD);
            method = text(mo, "method.type", "type", true);
            hyperparameters = mo.get("hyperparameters");
            if (SUPERVISED.equals(method)) {
                method = DEFAULT_METHOD;
                if (hyperparameters != null) {
                    errors.add(new FieldError("method.hyperparameters", "with method.type supervised, hyperparameters "
                            + "go in method.supervised.hyperparameters"));
                    hyperparameters = null;
                }
                JsonNode supervised = mo.get(SUPERVISED);
                if (supervised != null && !supervised.isNull()) {
                    OpenAiHyperparameters nested = openAiHyperparameters(
                            object(supervised, "method.supervised", SUPERVISED_METHOD).get("hyperparameters"),
                            "method.supervised.hyperparameters");
                    if (nested != null && openAi != null) {
                        errors.add(new FieldError("hyperparameters", "hyperparameters and "
                                + "method.supervised.hyperparameters both set them; send one"));
                    }
                    openAi = nested != null ? nested : openAi;
                }
            } else if (mo.has(SUPERVISED)) {
                errors.add(new FieldError("method.supervised", "method.supervised goes with method.type supervised"));
            }
            if (hyperparameters != null && !hyperparameters.isObject() && !hyperparameters.isNull()) {
                errors.add(new FieldError("method.hyperparameters", "method.hyperparameters must be an object"));
            }
        } else {
            // OpenAI's create call names no method: supervised fine-tuning, which peftflow trains with LoRA.
            method = DEFAULT_METHOD;
        }
        if (hyperparameters == null || hyperparameters.isNull()) {
            hyperparameters = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        TrainingSettings training = training(b.get("training"));
        if (openAi != null) {
            for (String field : openAi.overlap(training)) {
                errors.add(new FieldError("training." + field, "training." + field + " and OpenAI's hyperparameters "
                        + "both set it; send one"));
            }
            training = openAi.onto(training);
        }
        Long seed = longValue(b, "seed");
        String adapter = text(b, "adapter_name", false);
        String suffix = text(b, "suffix", false);
        if (suffix != null && adapter != null) {
            errors.add(new FieldError("suffix", "suffix and adapter_name both name the adapter; send one"));
        }
        adapter = adapter != null ? adapter : suffix;
        adapter = adapter != null || dataset == null || method == null ? adapter : ResourceName.derive(dataset, method);
        return new Recipe(model, method, hyperparameters, training, seed == null ? DEFAULT_SEED : seed, adapter,
                initFrom(b.get("init_from"), adapter), stackOn(b.get("stack_on")));
    }

    /**
     * {@code ["name", "name:N", "name:champion"]}, bottom first: 1 to {@link RunSpec#MAX_STACK_ON} references
     * ({@link AdapterRef}'s rule); absent, null or empty: no stack.
     */
    private StackOn stackOn(JsonNode s) {
        if (s == null || s.isNull() || (s.isArray() && s.isEmpty())) {
            return null;
        }
        if (!s.isArray() || s.size() > RunSpec.MAX_STACK_ON) {
            errors.add(new FieldError("stack_on", "stack_on must be an array of 1 to " + RunSpec.MAX_STACK_ON
                    + " adapter references (\"name\", \"name:version\" or \"name:champion\"), got "
                    + (s.isArray() ? s.size() + " entries" : "a " + s.getNodeType().name().toLowerCase(Locale.ROOT))));
            return null;
        }
        List<StackOn.Layer> layers = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            String field = "stack_on[" + i + "]";
            JsonNode ref = s.get(i);
            if (!ref.isTextual() || ref.asText().length() > MAX_TEXT) {
                errors.add(new FieldError(field, field + " must be a string of at most " + MAX_TEXT + " characters"));
                continue;
            }
            try {
                layers.add(StackOn.Layer.of(AdapterRef.parse(field, ref.asText())));
            } catch (InvalidValue e) {
                errors.add(new FieldError(field, e.getMessage()));
            }
        }
        return new StackOn(layers);
    }

    /** {@code {"adapter", "version" | "alias"}}; the adapter defaults to the job's own. */
    private InitFrom initFrom(JsonNode i, String ownAdapter) {
        if (i == null || i.isNull()) {
            return null;
        }
        JsonNode o = object(i, "init_from", INIT_FROM);
        String adapter = text(o, "init_from.adapter", "adapter", false);
        Integer version = integer(o, "init_from.version", "version");
        String alias = text(o, "init_from.alias", "alias", false);
        if ((version == null) == (alias == null) && !o.has("version") && !o.has("alias")) {
            errors.add(new FieldError("init_from.version", "init_from needs a version or an alias (\"champion\")"));
        } else if (version != null && alias != null) {
            errors.add(new FieldError("init_from.alias", "init_from takes a version or an alias, not both"));
        }
        return new InitFrom(adapter != null ? adapter : ownAdapter, version, alias, null);
    }

    /**
     * OpenAI's hyperparameters; each is a number or {@code "auto"} (peftflow's default).
     *
     * @param learningRateMultiplier times peft-core's default learning rate
     */
    private record OpenAiHyperparameters(Integer nEpochs, Integer batchSize, Double learningRateMultiplier) {
        /** The settings of {@code training} that these set too. */
        List<String> overlap(TrainingSettings t) {
            List<String> both = new ArrayList<>();
            if (nEpochs != null && t.epochs() != null) {
                both.add("epochs");
            }
            if (batchSize != null && t.batchSize() != null) {
                both.add("batch_size");
            }
            if (learningRateMultiplier != null && t.learningRate() != null) {
                both.add("learning_rate");
            }
            return both;
        }

        TrainingSettings onto(TrainingSettings t) {
            Double learningRate = learningRateMultiplier == null ? t.learningRate()
                    : Double.valueOf(learningRateMultiplier * TrainingConfigs.DEFAULT_LEARNING_RATE);
            return new TrainingSettings(t.maxSteps(), nEpochs != null ? nEpochs : t.epochs(),
                    batchSize != null ? batchSize : t.batchSize(), learningRate, t.warmupSteps(), t.evalEverySteps(),
                    t.checkpointEverySteps(), t.earlyStopping());
        }
    }

    private OpenAiHyperparameters openAiHyperparameters(JsonNode h, String field) {
        if (h == null || h.isNull()) {
            return null;
        }
        JsonNode o = object(h, field, OPENAI_HYPERPARAMETERS);
        Double multiplier = null;
        JsonNode lr = o.get("learning_rate_multiplier");
        if (lr != null && !lr.isNull() && !auto(lr)) {
            if (lr.isNumber() && lr.asDouble() > 0) {
                multiplier = lr.asDouble();
            } else {
                errors.add(new FieldError(field + ".learning_rate_multiplier", field
                        + ".learning_rate_multiplier must be a number > 0 or \"auto\""));
            }
        }
        return new OpenAiHyperparameters(autoInteger(o, field + ".n_epochs", "n_epochs"),
                autoInteger(o, field + ".batch_size", "batch_size"), multiplier);
    }

    private Integer autoInteger(JsonNode o, String field, String key) {
        return auto(o.get(key)) ? null : integer(o, field, key);
    }

    private static boolean auto(JsonNode v) {
        return v != null && v.isTextual() && v.asText().equals("auto");
    }

    private TrainingSettings training(JsonNode t) {
        if (t == null || t.isNull()) {
            return new TrainingSettings(null, null, null, null, null, null, null);
        }
        JsonNode o = object(t, "training", TRAINING);
        return new TrainingSettings(autoInteger(o, "training.max_steps", "max_steps"),
                autoInteger(o, "training.epochs", "epochs"), autoInteger(o, "training.batch_size", "batch_size"),
                number(o, "training.learning_rate", "learning_rate"), autoInteger(o, "training.warmup_steps", "warmup_steps"),
                autoInteger(o, "training.eval_every_steps", "eval_every_steps"),
                autoInteger(o, "training.checkpoint_every_steps", "checkpoint_every_steps"),
                earlyStopping(o.get("early_stopping")));
    }

    private TrainingSettings.EarlyStopping earlyStopping(JsonNode e) {
        if (e == null || e.isNull()) {
            return null;
        }
        String field = "training.early_stopping";
        JsonNode o = object(e, field, EARLY_STOPPING);
        return new TrainingSettings.EarlyStopping(text(o, field + ".metric", "metric", false),
                autoInteger(o, field + ".patience", "patience"), number(o, field + ".min_delta", "min_delta"));
    }

    /** The object at {@code field}, with an error for each key outside {@code allowed}. */
    private JsonNode object(JsonNode node, String field, Set<String> allowed) {
        if (node == null || !node.isObject()) {
            errors.add(new FieldError(field, field + " must be a JSON object"));
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        String prefix = field.equals("body") ? "" : field + ".";
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                errors.add(new FieldError(prefix + key, "unknown field '" + prefix + key + "'; known: "
                        + allowed.stream().sorted().toList()));
            }
        }
        return node;
    }

    private String text(JsonNode o, String field, boolean required) {
        return text(o, field, field, required);
    }

    private String text(JsonNode o, String field, String key, boolean required) {
        JsonNode v = o.get(key);
        if (v == null || v.isNull()) {
            if (required) {
                errors.add(new FieldError(field, field + " is required"));
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            errors.add(new FieldError(field, field + " must be a non-empty string"));
            return null;
        }
        if (v.asText().length() > MAX_TEXT) {
            errors.add(new FieldError(field, field + " may have at most " + MAX_TEXT + " characters, got "
                    + v.asText().length()));
            return null;
        }
        return v.asText();
    }

    /** A number; {@code "auto"} or absent: null (the default). */
    private Double number(JsonNode o, String field, String key) {
        JsonNode v = o.get(key);
        if (v == null || v.isNull() || auto(v)) {
            return null;
        }
        if (!v.isNumber()) {
            errors.add(new FieldError(field, field + " must be a number or \"auto\""));
            return null;
        }
        return v.asDouble();
    }

    private Integer integer(JsonNode o, String field, String key) {
        JsonNode v = o.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            errors.add(new FieldError(field, field + " must be an integer"));
            return null;
        }
        return v.asInt();
    }

    private Integer integer(JsonNode o, String field, int min, int max) {
        Integer v = integer(o, field, field);
        if (v != null && (v < min || v > max)) {
            errors.add(new FieldError(field, field + " must be in [" + min + ", " + max + "], got " + v));
            return null;
        }
        return v;
    }

    private Long longValue(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            errors.add(new FieldError(field, field + " must be an integer"));
            return null;
        }
        return v.asLong();
    }

    /** {@code "latest"}, absent (the latest) or a version number >= 1. */
    private int version(JsonNode v) {
        if (v == null || v.isNull() || (v.isTextual() && v.asText().equals("latest"))) {
            return 0;
        }
        if (v.isIntegralNumber() && v.canConvertToInt() && v.asInt() >= 1) {
            return v.asInt();
        }
        if (v.isTextual() && v.asText().matches("[1-9][0-9]{0,8}")) {
            return Integer.parseInt(v.asText());
        }
        errors.add(new FieldError("dataset_version", "dataset_version must be a version number >= 1 or \"latest\", got " + v));
        return 0;
    }

    private void done() {
        if (!errors.isEmpty()) {
            throw new BadRequest(errors);
        }
    }

    private static String r(String value, String fallback) {
        return value != null ? value : fallback;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.HashSet<String> s = new java.util.HashSet<>(a);
        s.addAll(b);
        return Set.copyOf(s);
    }

    /** A body of the wrong shape: 400 rather than the validator's 422. */
    static final class BadRequest extends RuntimeException {
        final List<FieldError> errors;

        BadRequest(List<FieldError> errors) {
            super(String.join("; ", errors.stream().map(FieldError::toString).toList()));
            this.errors = List.copyOf(errors);
        }
    }
}
