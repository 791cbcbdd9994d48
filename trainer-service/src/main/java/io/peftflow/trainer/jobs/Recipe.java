package io.peftflow.trainer.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.peftflow.events.training.TrainingRequested;
import io.peftflow.events.training.TrainingSettings;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Converter;
import jakarta.persistence.Embeddable;

/**
 * What to train, without the data: the base model, the PEFT method with its hyperparameters (PEFT's config keys),
 * the training settings, the seed, the adapter's name, the adapter version it starts from (null: a cold start) and the
 * frozen versions it trains on top of (null: the bare base model). A job is a recipe applied to one dataset version; a
 * retraining policy keeps a recipe for every new version. Both tables store it in the same columns (hyperparameters
 * and training settings as JSON text).
 */
@Embeddable
public record Recipe(@Column(name = "base_model") String baseModel,
                     String method,
                     @Convert(converter = HyperparametersText.class) JsonNode hyperparameters,
                     @Convert(converter = TrainingSettingsText.class) TrainingSettings training,
                     long seed,
                     @Column(name = "adapter_name") String adapterName,
                     @Column(name = "init_from") @Convert(converter = InitFrom.Text.class) InitFrom initFrom,
                     // absent from the JSON when null, so request hashes of jobs without a stack stay as they were
                     @JsonInclude(JsonInclude.Include.NON_NULL)
                     @Column(name = "stack_on") @Convert(converter = StackOn.Text.class) StackOn stackOn) {

    public Recipe withInitFrom(InitFrom i) {
        return new Recipe(baseModel, method, hyperparameters, training, seed, adapterName, i, stackOn);
    }

    public Recipe withStackOn(StackOn s) {
        return new Recipe(baseModel, method, hyperparameters, training, seed, adapterName, initFrom, s);
    }

    public TrainingRequested.MethodSpec methodSpec() {
        return new TrainingRequested.MethodSpec(method, hyperparameters);
    }

    @Converter
    public static class HyperparametersText implements AttributeConverter<JsonNode, String> {
        @Override
        public String convertToDatabaseColumn(JsonNode hyperparameters) {
            return JsonText.write(hyperparameters);
        }

        @Override
        public JsonNode convertToEntityAttribute(String text) {
            return JsonText.tree(text);
        }
    }

    @Converter
    public static class TrainingSettingsText implements AttributeConverter<TrainingSettings, String> {
        @Override
        public String convertToDatabaseColumn(TrainingSettings training) {
            return JsonText.write(training);
        }

        @Override
        public TrainingSettings convertToEntityAttribute(String text) {
            return JsonText.read(text, TrainingSettings.class);
        }
    }
}
