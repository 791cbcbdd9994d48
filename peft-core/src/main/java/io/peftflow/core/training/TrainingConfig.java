package io.peftflow.core.training;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.checkpoint.Json;
import io.peftflow.core.training.optim.LrSchedule;

/**
 * Hyperparameters of one run, with HF Trainer-like defaults. {@code maxSteps} counts optimizer updates (each of
 * {@code gradientAccumulation} micro-batches of {@code batchSize}); when 0, {@code epochs} passes over the data.
 *
 * @param maxGradNorm global-norm clip; 0 turns clipping off
 * @param evalEvery evaluate every this many updates (0: only at the end)
 * @param earlyStoppingPatience stop after this many evaluations without an eval-loss improvement (0: never)
 * @param earlyStoppingMinDelta an evaluation improves only when its loss is below the best by more than this
 * @param checkpointEvery write a resumable checkpoint every this many updates (0: never)
 * @param bucketBatches batches per length bucket (see {@link io.peftflow.core.data.LengthBatcher}); 1: no length
 *     grouping, batches of a random order (a random sampler's)
 * @param initialLossScale / lossScaleGrowthInterval dynamic loss scaling, used when the model is fp16
 * @param restoreBestWeights when a run with evaluation completes or stops early, the trainable parameters end at
 *     the best evaluation's values (HF Trainer's {@code load_best_model_at_end}); a cancelled run keeps its last
 *     weights, so that it can be resumed. Absent from JSON written before it existed: true.
 */
public record TrainingConfig(long seed, double learningRate, double weightDecay, double beta1, double beta2,
                             double eps, LrSchedule.Kind schedule, int warmupSteps, int maxSteps, int epochs,
                             int batchSize, int gradientAccumulation, double maxGradNorm, int evalEvery,
                             int earlyStoppingPatience, double earlyStoppingMinDelta, int checkpointEvery,
                             int bucketBatches, float initialLossScale, int lossScaleGrowthInterval,
                             boolean restoreBestWeights) {
    /** The default {@link #bucketBatches}. */
    public static final int BUCKET_BATCHES = 16;

    public TrainingConfig {
        check(learningRate > 0 && Double.isFinite(learningRate), "learningRate", "must be > 0");
        check(weightDecay >= 0, "weightDecay", "must be >= 0");
        check(beta1 >= 0 && beta1 < 1, "beta1", "must be in [0, 1)");
        check(beta2 >= 0 && beta2 < 1, "beta2", "must be in [0, 1)");
        check(eps > 0, "eps", "must be > 0");
        check(maxSteps > 0 || epochs > 0, "maxSteps", "or epochs must be > 0");
        check(maxSteps >= 0, "maxSteps", "must be >= 0");
        check(epochs >= 0, "epochs", "must be >= 0");
        check(warmupSteps >= 0, "warmupSteps", "must be >= 0");
        check(batchSize >= 1, "batchSize", "must be >= 1");
        check(gradientAccumulation >= 1, "gradientAccumulation", "must be >= 1");
        check(maxGradNorm >= 0, "maxGradNorm", "must be >= 0 (0: no clipping)");
        check(evalEvery >= 0, "evalEvery", "must be >= 0");
        check(earlyStoppingPatience >= 0, "earlyStoppingPatience", "must be >= 0");
        check(checkpointEvery >= 0, "checkpointEvery", "must be >= 0");
        check(earlyStoppingMinDelta >= 0 && Double.isFinite(earlyStoppingMinDelta), "earlyStoppingMinDelta",
                "must be finite and >= 0");
        check(bucketBatches >= 1, "bucketBatches", "must be >= 1");
        check(initialLossScale >= 1, "initialLossScale", "must be >= 1");
        check(lossScaleGrowthInterval >= 1, "lossScaleGrowthInterval", "must be >= 1");
    }

    /**
     * lr 2e-4, no weight decay, betas 0.9/0.999, eps 1e-8, cosine, 1 epoch, batch 8, clip 1.0, fp16 scale 2^16,
     * restore the best weights.
     */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.seed = seed;
        b.learningRate = learningRate;
        b.weightDecay = weightDecay;
        b.beta1 = beta1;
        b.beta2 = beta2;
        b.eps = eps;
        b.schedule = schedule;
        b.warmupSteps = warmupSteps;
        b.maxSteps = maxSteps;
        b.epochs = epochs;
        b.batchSize = batchSize;
        b.gradientAccumulation = gradientAccumulation;
        b.maxGradNorm = maxGradNorm;
        b.evalEvery = evalEvery;
        b.earlyStoppingPatience = earlyStoppingPatience;
        b.earlyStoppingMinDelta = earlyStoppingMinDelta;
        b.checkpointEvery = checkpointEvery;
        b.bucketBatches = bucketBatches;
        b.initialLossScale = initialLossScale;
        b.lossScaleGrowthInterval = lossScaleGrowthInterval;
        b.restoreBestWeights = restoreBestWeights;
        return b;
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private long seed = 42;
        private double learningRate = 2e-4;
        private double weightDecay;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
        private LrSchedule.Kind schedule = LrSchedule.Kind.COSINE;
        private int warmupSteps;
        private int maxSteps;
        private int epochs = 1;
        private int batchSize = 8;
        private int gradientAccumulation = 1;
        private double maxGradNorm = 1.0;
        private int evalEvery;
        private int earlyStoppingPatience;
        private double earlyStoppingMinDelta;
        private int checkpointEvery;
        private int bucketBatches = BUCKET_BATCHES;
        private float initialLossScale = 65536f;
        private int lossScaleGrowthInterval = 2000;
        private boolean restoreBestWeights = true;

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder learningRate(double v) {
            learningRate = v;
            return this;
        }

        public Builder weightDecay(double v) {
            weightDecay = v;
            return this;
        }

        public Builder betas(double b1, double b2) {
            beta1 = b1;
            beta2 = b2;
            return this;
        }

        public Builder schedule(LrSchedule.Kind kind, int warmup) {
            schedule = kind;
            warmupSteps = warmup;
            return this;
        }

        public Builder maxSteps(int v) {
            maxSteps = v;
            return this;
        }

        public Builder epochs(int v) {
            epochs = v;
            return this;
        }

        public Builder batch(int size, int accumulation) {
            batchSize = size;
            gradientAccumulation = accumulation;
            return this;
        }

        public Builder maxGradNorm(double v) {
            maxGradNorm = v;
            return this;
        }

        public Builder evaluation(int every, int patience, double minDelta) {
            evalEvery = every;
            earlyStoppingPatience = patience;
            earlyStoppingMinDelta = minDelta;
            return this;
        }

        public Builder checkpointEvery(int v) {
            checkpointEvery = v;
            return this;
        }

        /** Batches per length bucket (default 16); 1 turns length grouping off: batches of a seeded random order. */
        public Builder bucketBatches(int v) {
            bucketBatches = v;
            return this;
        }

        public Builder lossScale(float initial, int growthInterval) {
            initialLossScale = initial;
            lossScaleGrowthInterval = growthInterval;
            return this;
        }

        /** End on the best evaluation's weights (default) or, with false, on the last step's. */
        public Builder restoreBestWeights(boolean v) {
            restoreBestWeights = v;
            return this;
        }

        public TrainingConfig build() {
            return new TrainingConfig(seed, learningRate, weightDecay, beta1, beta2, eps, schedule, warmupSteps,
                    maxSteps, epochs, batchSize, gradientAccumulation, maxGradNorm, evalEvery, earlyStoppingPatience,
                    earlyStoppingMinDelta, checkpointEvery, bucketBatches, initialLossScale, lossScaleGrowthInterval,
                    restoreBestWeights);
        }
    }

    /** Updates for a dataset of {@code batchesPerEpoch} micro-batches per epoch. */
    public int totalSteps(int batchesPerEpoch) {
        return maxSteps > 0 ? maxSteps : Math.max(1, epochs * batchesPerEpoch / gradientAccumulation);
    }

    /** All fields, for manifests and checkpoints. */
    public ObjectNode toJson() {
        return Json.MAPPER.valueToTree(this);
    }

    /** Parses {@link #toJson}; fields added since a checkpoint or manifest was written take their defaults. */
    public static TrainingConfig fromJson(com.fasterxml.jackson.databind.JsonNode node) {
        try {
            if (node instanceof ObjectNode o && !o.has("restoreBestWeights")) {
                // Jackson would read a missing boolean as false; the default is true.
                node = o.deepCopy().put("restoreBestWeights", true);
            }
            return Json.MAPPER.treeToValue(node, TrainingConfig.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new PeftCoreException("invalid training config: " + e.getMessage(), e);
        }
    }

    /** An error naming the field as this record's JSON does. */
    private static void check(boolean ok, String field, String problem) {
        if (!ok) {
            throw PeftCoreException.invalidField(field, field + " " + problem);
        }
    }
}
