package io.peftflow.events.training;

/**
 * How long and how fast to train. A null field takes the trainer's default for the method and model size.
 *
 * @param maxSteps             optimizer updates; wins over {@code epochs} when both are set
 * @param batchSize            examples per update
 * @param learningRate         peak learning rate (AdamW, cosine schedule after warm-up)
 * @param evalEverySteps       evaluation interval on the validation split
 * @param checkpointEverySteps interval of checkpoints to S3 (a killed worker resumes from the last one)
 * @param earlyStopping        stop when the validation metric stops improving (null: train every step); added
 *                             after the first release, so absent from older events and rows
 */
public record TrainingSettings(Integer maxSteps, Integer epochs, Integer batchSize, Double learningRate,
                               Integer warmupSteps, Integer evalEverySteps, Integer checkpointEverySteps,
                               EarlyStopping earlyStopping) {

    /** Settings without early stopping (the shape before it existed). */
    public TrainingSettings(Integer maxSteps, Integer epochs, Integer batchSize, Double learningRate,
                            Integer warmupSteps, Integer evalEverySteps, Integer checkpointEverySteps) {
        this(maxSteps, epochs, batchSize, learningRate, warmupSteps, evalEverySteps, checkpointEverySteps, null);
    }

    /**
     * Early stopping on the validation split, evaluated every {@code evalEverySteps}; the job keeps the weights of
     * its best evaluation.
     *
     * @param metric   what must improve: {@code eval_loss} (lower is better)
     * @param patience evaluations in a row without an improvement after which training stops
     * @param minDelta an evaluation improves only when it beats the best so far by more than this
     */
    public record EarlyStopping(String metric, Integer patience, Double minDelta) {
    }
}
