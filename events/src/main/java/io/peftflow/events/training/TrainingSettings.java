package io.peftflow.events.training;

/**
 * How long and how fast to train. A null field takes peft-core's default for the method.
 *
 * @param maxSteps             optimizer updates; wins over {@code epochs} when both are set
 * @param batchSize            examples per update
 * @param learningRate         peak learning rate (AdamW, cosine schedule after warm-up)
 * @param evalEverySteps       evaluation interval on the validation split
 * @param checkpointEverySteps interval of checkpoints to S3 (a killed worker resumes from the last one)
 */
public record TrainingSettings(Integer maxSteps, Integer epochs, Integer batchSize, Double learningRate,
                               Integer warmupSteps, Integer evalEverySteps, Integer checkpointEverySteps) {
}
