package io.peftflow.trainer.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.peftflow.events.training.TrainingRequested;
import io.peftflow.events.training.TrainingSettings;

/**
 * What to train, without the data: the base model, the PEFT method with its hyperparameters (PEFT's config keys),
 * the training settings, the seed and the adapter's name. A job is a recipe applied to one dataset version; a
 * retraining policy keeps a recipe for every new version.
 */
public record Recipe(String baseModel, String method, JsonNode hyperparameters, TrainingSettings training, long seed,
                     String adapterName) {

    public TrainingRequested.MethodSpec methodSpec() {
        return new TrainingRequested.MethodSpec(method, hyperparameters);
    }
}
