package io.peftflow.trainer.validation;

import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peftflow.core.checkpoint.Json;
import io.peftflow.core.model.ModelConfig;
import io.peftflow.core.model.Models;
import io.peftflow.core.run.MethodPreset;
import io.peftflow.events.training.TrainingSettings;
import io.peftflow.trainer.jobs.Recipe;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;

/**
 * What an omitted (or {@code "auto"}) setting trains with: chosen per method and model size, as OpenAI's
 * {@code auto} and PEFT's recommended settings are. The table is trainer-service/README.md's "Defaults"
 * ({@code AutoSettingsTest} holds the two to each other): a pre-trained model of a billion parameters wants LoRA at
 * 2e-4, while the embedded tiny model (random weights) learns only at ~1e-2, so the size decides and the tiny
 * model's settings never reach a real one.
 */
public final class AutoSettings {
    /** Passes over the data when a job sets neither {@code max_steps} nor {@code epochs}. */
    static final int AUTO_EPOCHS = 3;
    /** Warm-up: this share of {@code max_steps}, at most {@link #MAX_WARMUP} (with {@code epochs}: the maximum's tenth). */
    static final double WARMUP_SHARE = 0.1;
    static final int MAX_WARMUP = 100;
    /**
     * A warm start's automatic learning rate is the rule's times this: at the cold rate the demo's v2 warm start is
     * knocked back from v1's eval loss and ends worse than a cold run; at a tenth it improves on v1 from the start
     * (trainer-service/README.md, "Warm starts", measured by peft-core's WarmStartMeasure).
     */
    static final double WARM_START_LEARNING_RATE = 0.1;

    /** Model sizes by parameter count: the embedded tiny model, about a billion, several billions. */
    public enum Size {
        TINY(0, "< 100 M"), SMALL(100_000_000L, "100 M - 3 B"), LARGE(3_000_000_000L, ">= 3 B");

        final long from;
        final String label;

        Size(long from, String label) {
            this.from = from;
            this.label = label;
        }

        public String label() {
            return label;
        }

        static Size of(long parameters) {
            return parameters >= LARGE.from ? LARGE : parameters >= SMALL.from ? SMALL : TINY;
        }
    }

    /** One row of the table: a method's learning rate, batch size and PEFT hyperparameters at a size. */
    public record Rule(String method, Size size, double learningRate, int batchSize, JsonNode hyperparameters) {
    }

    private AutoSettings() {
    }

    /** The rule for {@code method} (a registered name) on a model of {@code parameters}. */
    public static Rule rule(String method, long parameters) {
        Size size = Size.of(parameters);
        String m = method.toLowerCase(Locale.ROOT);
        if (size == Size.TINY) {
            // peft-core's presets: what MethodsLearnTest shows learning the tiny model.
            MethodPreset p = MethodPreset.parse(m);
            return new Rule(m, size, p.learningRate(), 16, p.hyperparameters());
        }
        boolean large = size == Size.LARGE;
        return switch (m) {
            case "lora" -> new Rule(m, size, large ? 1e-4 : 2e-4, 8, json(large
                    ? "{\"r\": 16, \"lora_alpha\": 32, \"lora_dropout\": 0.05, \"target_modules\": [\"q_proj\", \"k_proj\", \"v_proj\", \"o_proj\"]}"
                    : "{\"r\": 8, \"lora_alpha\": 16, \"lora_dropout\": 0.05, \"target_modules\": [\"q_proj\", \"v_proj\"]}"));
            case "seq_bn", "double_seq_bn" -> new Rule(m, size, 1e-4, 8, json("{\"reduction_factor\": 16}"));
            case "prompt_tuning" -> new Rule(m, size, 3e-2, 8,
                    json("{\"num_virtual_tokens\": 20, \"prompt_tuning_init\": \"SAMPLE_VOCAB\"}"));
            default -> throw new IllegalArgumentException("no default settings for method " + method);
        };
    }

    /** Parameters of the model that {@code config.json} describes (no weights are read). */
    public static long parameters(Path configJson) {
        ModelConfig c = ModelConfig.parse(Json.read(configJson), configJson);
        return Models.create(c, null, DataType.FLOAT32).parameterCount();
    }

    /**
     * The recipe with every omitted or {@code "auto"} setting filled in by the rule for its method and model size
     * (a warm start, {@code init_from}, gets a tenth of the rule's learning rate); what a job sets itself stays.
     */
    public static Recipe resolve(Recipe r, long parameters) {
        Rule rule = rule(r.method(), parameters);
        ObjectNode h = rule.hyperparameters().deepCopy();
        JsonNode own = r.hyperparameters();
        if (own != null && own.isObject()) {
            for (Iterator<String> it = own.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                JsonNode v = own.get(key);
                if (!(v.isTextual() && v.asText().equals("auto"))) {
                    h.set(key, v);
                }
            }
        }
        TrainingSettings t = r.training() == null ? new TrainingSettings(null, null, null, null, null, null, null)
                : r.training();
        Integer epochs = t.maxSteps() == null && t.epochs() == null ? Integer.valueOf(AUTO_EPOCHS) : t.epochs();
        Integer warmup = t.warmupSteps() != null ? t.warmupSteps() : t.maxSteps() != null
                ? Integer.valueOf((int) Math.min(MAX_WARMUP, Math.round(t.maxSteps() * WARMUP_SHARE)))
                : Integer.valueOf(MAX_WARMUP / 10);
        TrainingSettings training = new TrainingSettings(t.maxSteps(), epochs,
                t.batchSize() != null ? t.batchSize() : rule.batchSize(),
                t.learningRate() != null ? t.learningRate()
                        : r.initFrom() != null ? rule.learningRate() * WARM_START_LEARNING_RATE : rule.learningRate(),
                warmup, t.evalEverySteps(),
                t.checkpointEverySteps(), t.earlyStopping());
        return new Recipe(r.baseModel(), r.method(), h, training, r.seed(), r.adapterName(), r.initFrom(), r.stackOn());
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
