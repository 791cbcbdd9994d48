package io.peftflow.trainer.validation;

import io.peftflow.kit.problem.FieldError;
import io.peftflow.core.training.TrainingConfig;
import io.peftflow.core.training.optim.LrSchedule;
import io.peftflow.events.training.TrainingSettings;

import java.util.ArrayList;
import java.util.List;

/** A job's {@link TrainingSettings} as peft-core's {@link TrainingConfig}: the one mapping, for the plan and the run. */
public final class TrainingConfigs {
    static final int MAX_STEPS = 1_000_000;
    static final int MAX_BATCH = 4096;
    /** peft-core's defaults: what an absent setting trains with (OpenAI's "auto"). */
    private static final TrainingConfig DEFAULTS = TrainingConfig.builder().build();
    public static final double DEFAULT_LEARNING_RATE = DEFAULTS.learningRate();
    public static final int DEFAULT_BATCH_SIZE = DEFAULTS.batchSize();
    public static final int DEFAULT_EPOCHS = DEFAULTS.epochs();
    /** The one metric early stopping watches (the trainer's evaluations during training measure the loss). */
    public static final String EVAL_LOSS = "eval_loss";
    static final int DEFAULT_PATIENCE = 3;
    static final int MAX_PATIENCE = 1000;
    static final double MAX_MIN_DELTA = 1000;
    /** Evaluations a run with early stopping and no {@code eval_every_steps} makes over its {@code max_steps}. */
    static final int DEFAULT_EVALUATIONS = 10;

    private TrainingConfigs() {
    }

    /** The problems of the settings, each naming its REST field; empty when they are fine. */
    public static List<FieldError> check(TrainingSettings t) {
        List<FieldError> errors = new ArrayList<>();
        if (t == null) {
            return errors;
        }
        range(errors, "training.max_steps", t.maxSteps(), 1, MAX_STEPS);
        range(errors, "training.epochs", t.epochs(), 1, 1000);
        range(errors, "training.batch_size", t.batchSize(), 1, MAX_BATCH);
        range(errors, "training.warmup_steps", t.warmupSteps(), 0, MAX_STEPS);
        range(errors, "training.eval_every_steps", t.evalEverySteps(), 0, MAX_STEPS);
        range(errors, "training.checkpoint_every_steps", t.checkpointEverySteps(), 1, MAX_STEPS);
        TrainingSettings.EarlyStopping es = t.earlyStopping();
        if (es != null) {
            if (es.metric() != null && !es.metric().equals(EVAL_LOSS)) {
                errors.add(new FieldError("training.early_stopping.metric", "early_stopping.metric must be \""
                        + EVAL_LOSS + "\" (the loss on the validation split, lower is better), got '"
                        + (es.metric().length() > 40 ? es.metric().substring(0, 40) + "…" : es.metric()) + "'"));
            }
            range(errors, "training.early_stopping.patience", es.patience(), 1, MAX_PATIENCE);
            Double d = es.minDelta();
            if (d != null && !(d >= 0 && d <= MAX_MIN_DELTA)) {
                errors.add(new FieldError("training.early_stopping.min_delta", "early_stopping.min_delta must be in [0, "
                        + (int) MAX_MIN_DELTA + "], got " + d));
            }
            if (t.evalEverySteps() == null && t.maxSteps() == null) {
                errors.add(new FieldError("training.eval_every_steps", "early_stopping needs evaluations: set "
                        + "eval_every_steps (or max_steps, which makes it max_steps / " + DEFAULT_EVALUATIONS + ")"));
            } else if (t.evalEverySteps() != null && t.evalEverySteps() == 0) {
                errors.add(new FieldError("training.eval_every_steps", "early_stopping needs evaluations: "
                        + "eval_every_steps must be >= 1 with it"));
            }
        }
        Double lr = t.learningRate();
        if (lr != null && !(lr > 0 && lr < 10 && Double.isFinite(lr))) {
            errors.add(new FieldError("training.learning_rate", "learning_rate must be > 0 (and < 10), got " + lr));
        }
        return errors;
    }

    private static void range(List<FieldError> errors, String field, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            String name = field.substring(field.indexOf('.') + 1);
            errors.add(new FieldError(field, name + " must be in [" + min + ", " + max + "], got " + value));
        }
    }

    /** The config a worker trains with; absent settings take peft-core's defaults (one epoch, batch 8, lr 2e-4). */
    public static TrainingConfig of(TrainingSettings t, long seed, int defaultCheckpointEvery) {
        TrainingConfig.Builder b = TrainingConfig.builder().seed(seed);
        TrainingSettings s = t == null ? new TrainingSettings(null, null, null, null, null, null, null) : t;
        if (s.learningRate() != null) {
            b.learningRate(s.learningRate());
        }
        b.schedule(LrSchedule.Kind.COSINE, s.warmupSteps() == null ? 0 : s.warmupSteps());
        if (s.maxSteps() != null) {
            b.maxSteps(s.maxSteps());
        } else if (s.epochs() != null) {
            b.epochs(s.epochs());
        }
        if (s.batchSize() != null) {
            b.batch(s.batchSize(), 1);
        }
        TrainingSettings.EarlyStopping es = s.earlyStopping();
        if (es != null) {
            int every = s.evalEverySteps() != null ? s.evalEverySteps()
                    : Math.max(1, (s.maxSteps() == null ? 0 : s.maxSteps()) / DEFAULT_EVALUATIONS);
            b.evaluation(every, es.patience() == null ? DEFAULT_PATIENCE : es.patience(),
                    es.minDelta() == null ? 0.0 : es.minDelta());
        } else if (s.evalEverySteps() != null) {
            b.evaluation(s.evalEverySteps(), 0, 0.0);
        }
        b.checkpointEvery(s.checkpointEverySteps() == null ? defaultCheckpointEvery : s.checkpointEverySteps());
        return b.build();
    }
}
