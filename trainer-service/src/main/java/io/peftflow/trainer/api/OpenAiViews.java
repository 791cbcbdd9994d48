package io.peftflow.trainer.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peftflow.events.contract.FileId;
import io.peftflow.events.training.JobSucceeded;
import io.peftflow.events.training.TrainingSettings;
import io.peftflow.trainer.jobs.FineTuningJob;
import io.peftflow.trainer.jobs.JobCheckpoint;
import io.peftflow.trainer.jobs.JobEventRow;
import io.peftflow.trainer.jobs.JsonText;
import io.peftflow.trainer.jobs.ResultFile;
import io.peftflow.trainer.validation.TrainingConfigs;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * The jobs as OpenAI's fine-tuning API returns them ({@code /fine_tuning/jobs}), field for field, so OpenAI's SDKs
 * read them: a job is {@code succeeded} only once its adapter is registered, and {@code fine_tuned_model} is then the
 * name the inference API takes ({@code transactions-seq-bn:3}). peftflow's own view of the same job is
 * {@link Views.JobView} ({@code /fine-tuning/jobs}).
 */
final class OpenAiViews {
    private OpenAiViews() {
    }

    /** OpenAI's {@code error} of a failed job. */
    record Error(String code, String message, String param) {
    }

    /**
     * Each a number or {@code "auto"}, as OpenAI spells them; here always the values the job trains with.
     *
     * @param nEpochs {@code "auto"} when the job trains a number of steps ({@code training.max_steps}) instead
     */
    record Hyperparameters(Object batchSize, Object learningRateMultiplier, Object nEpochs) {
        static Hyperparameters of(TrainingSettings t) {
            TrainingSettings s = t == null ? new TrainingSettings(null, null, null, null, null, null, null) : t;
            Object epochs = s.maxSteps() != null ? "auto" : s.epochs() != null ? s.epochs() : TrainingConfigs.DEFAULT_EPOCHS;
            return new Hyperparameters(s.batchSize() != null ? s.batchSize() : TrainingConfigs.DEFAULT_BATCH_SIZE,
                    s.learningRate() != null ? s.learningRate() / TrainingConfigs.DEFAULT_LEARNING_RATE : 1.0, epochs);
        }
    }

    record Supervised(Hyperparameters hyperparameters) {
    }

    /** Always {@code supervised}: a PEFT adapter is trained on the examples' answers. */
    record Method(String type, Supervised supervised) {
    }

    /**
     * @param organizationId the tenant
     * @param trainingFile   the dataset version as a file id; {@code validationFile} is the same file, whose
     *                       validation split the job evaluates on
     */
    record Job(String object, String id, long createdAt, Error error, String fineTunedModel, Long finishedAt,
               Hyperparameters hyperparameters, String model, String organizationId, List<String> resultFiles,
               long seed, String status, Long trainedTokens, String trainingFile, String validationFile,
               Long estimatedFinish, List<Object> integrations, Map<String, String> metadata, Method method,
               String userProvidedSuffix) {
        static Job of(FineTuningJob j) {
            OpenAiStatus status = OpenAiStatus.of(j);
            JobSucceeded result = j.succeeded();
            Hyperparameters h = Hyperparameters.of(j.recipe.training());
            String file = j.datasetVersion > 0 ? new FileId.DatasetVersion(j.datasetName, j.datasetVersion).value() : null;
            return new Job("fine_tuning.job", j.id, j.createdAt.toEpochSecond(), status.error(), status.fineTunedModel(),
                    status.finished() ? Views.unix(j.finishedAt) : null, h, j.recipe.baseModel(), j.tenant,
                    result == null ? List.of() : List.of(ResultFile.id(j.id)), j.recipe.seed(), status.wire(),
                    result == null ? null : result.trainedTokens(), file, file, estimatedFinish(j), List.of(), null,
                    new Method("supervised", new Supervised(h)), j.recipe.adapterName());
        }

        /** While running: the start plus the time so far scaled to every step. */
        private static Long estimatedFinish(FineTuningJob j) {
            if (j.startedAt == null || j.totalSteps == null || j.step <= 0 || j.status().terminal()) {
                return null;
            }
            Duration elapsed = Duration.between(j.startedAt, OffsetDateTime.now());
            return j.startedAt.plus(elapsed.multipliedBy(j.totalSteps).dividedBy(j.step)).toEpochSecond();
        }
    }

    /**
     * One line of a job's log; {@code type} is {@code metrics} for the training progress and evaluations (their
     * {@code data} with OpenAI's metric names), {@code message} for the rest.
     */
    record Event(String object, String id, long createdAt, String level, String message, String type, JsonNode data) {
        static Event of(JobEventRow e) {
            JsonNode metrics = ResultFile.metrics(e);
            JsonNode data = metrics != null ? metrics : e.data == null ? null : JsonText.tree(e.data);
            return new Event("fine_tuning.job.event", Views.eventId(e.seq), Views.unix(e.createdAt),
                    "warning".equals(e.level) ? "warn" : e.level, e.message, metrics != null ? "metrics" : "message", data);
        }
    }

    /**
     * @param fineTunedModelCheckpoint the checkpoint's name, {@code <adapter>:ckpt-step-<N>}: resumable training
     *                                 state, not a registered model (only the job's final adapter is registered)
     */
    record Checkpoint(String object, String id, long createdAt, String fineTunedModelCheckpoint, String fineTuningJobId,
                      JsonNode metrics, int stepNumber) {
        static Checkpoint of(FineTuningJob j, JobCheckpoint c) {
            ObjectNode metrics = JsonNodeFactory.instance.objectNode().put("step", c.step);
            if (c.trainLoss != null) {
                metrics.put("train_loss", c.trainLoss);
            }
            Views.CheckpointView view = Views.CheckpointView.of(c);
            return new Checkpoint(view.object(), view.id(), view.createdAt(),
                    j.recipe.adapterName() + ":ckpt-step-" + c.step, j.id, metrics, c.step);
        }
    }

    /** OpenAI's File object of a job's result file. */
    record File(String object, String id, long bytes, long createdAt, String filename, String purpose, String status,
                Long expiresAt) {
        static File of(FineTuningJob j, byte[] content) {
            return new File("file", ResultFile.id(j.id), content.length, Views.unix(j.finishedAt), ResultFile.FILENAME,
                    "fine-tune-results", "processed", null);
        }
    }
}
