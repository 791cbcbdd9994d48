package io.peftflow.trainer.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.peftflow.events.contract.ResourceName;
import io.peftflow.events.training.TrainingSettings;
import io.peftflow.trainer.jobs.Recipe;
import io.peftflow.kit.problem.FieldError;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads the JSON bodies of the job and policy APIs field by field, so that every shape error (a wrong type, an
 * unknown key, a missing value) names its field. Values are checked for meaning later, by the validator.
 */
final class Requests {
    static final long DEFAULT_SEED = 42;
    private static final Set<String> RECIPE = Set.of("model", "method", "training", "seed", "adapter_name");
    private static final Set<String> JOB = union(RECIPE, Set.of("dataset", "dataset_version"));
    private static final Set<String> POLICY = union(RECIPE, Set.of("min_new_examples", "debounce_seconds"));
    private static final Set<String> METHOD = Set.of("type", "hyperparameters");
    private static final Set<String> TRAINING = Set.of("max_steps", "epochs", "batch_size", "learning_rate",
            "warmup_steps", "eval_every_steps", "checkpoint_every_steps");

    private final List<FieldError> errors = new ArrayList<>();
    private final String defaultModel;

    private Requests(String defaultModel) {
        this.defaultModel = defaultModel;
    }

    /** {@code POST /fine-tuning/jobs}: the dataset, the version asked for (0: latest) and the recipe. */
    record JobBody(String dataset, int version, Recipe recipe) {
    }

    /** {@code PUT /fine-tuning/policies/{dataset}}. */
    record PolicyBody(Recipe recipe, long minNewExamples, int debounceSeconds) {
    }

    static JobBody job(JsonNode body, String defaultModel) {
        Requests r = new Requests(defaultModel);
        JsonNode b = r.object(body, "body", JOB);
        String dataset = r.text(b, "dataset", true);
        int version = r.version(b.get("dataset_version"));
        Recipe recipe = r.recipe(b, dataset);
        r.done();
        return new JobBody(dataset, version, recipe);
    }

    static PolicyBody policy(JsonNode body, String dataset, String defaultModel) {
        Requests r = new Requests(defaultModel);
        JsonNode b = r.object(body, "body", POLICY);
        Recipe recipe = r.recipe(b, dataset);
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
        if (m != null && m.isTextual()) {
            method = m.asText();
        } else if (m != null) {
            JsonNode mo = object(m, "method", METHOD);
            method = text(mo, "method.type", "type", true);
            hyperparameters = mo.get("hyperparameters");
            if (hyperparameters != null && !hyperparameters.isObject() && !hyperparameters.isNull()) {
                errors.add(new FieldError("method.hyperparameters", "method.hyperparameters must be an object"));
            }
        } else {
            errors.add(new FieldError("method", "method is required, e.g. {\"type\": \"lora\", \"hyperparameters\": {\"r\": 8}}"));
        }
        if (hyperparameters == null || hyperparameters.isNull()) {
            hyperparameters = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        TrainingSettings training = training(b.get("training"));
        Long seed = longValue(b, "seed");
        String adapter = text(b, "adapter_name", false);
        return new Recipe(model, method, hyperparameters, training, seed == null ? DEFAULT_SEED : seed,
                adapter != null || dataset == null || method == null ? adapter : ResourceName.derive(dataset, method));
    }

    private TrainingSettings training(JsonNode t) {
        if (t == null || t.isNull()) {
            return new TrainingSettings(null, null, null, null, null, null, null);
        }
        JsonNode o = object(t, "training", TRAINING);
        Double lr = null;
        JsonNode lrNode = o.get("learning_rate");
        if (lrNode != null && !lrNode.isNull()) {
            if (lrNode.isNumber()) {
                lr = lrNode.asDouble();
            } else {
                errors.add(new FieldError("training.learning_rate", "training.learning_rate must be a number"));
            }
        }
        return new TrainingSettings(integer(o, "training.max_steps", "max_steps"), integer(o, "training.epochs", "epochs"),
                integer(o, "training.batch_size", "batch_size"), lr, integer(o, "training.warmup_steps", "warmup_steps"),
                integer(o, "training.eval_every_steps", "eval_every_steps"),
                integer(o, "training.checkpoint_every_steps", "checkpoint_every_steps"));
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
        return v.asText();
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
