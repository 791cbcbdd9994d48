package io.peftflow.trainer.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.peftflow.events.training.JobFailed;
import io.peftflow.events.training.JobSucceeded;
import io.peftflow.events.training.RunMetrics;
import io.peftflow.events.training.TrainingSettings;
import io.peftflow.kit.problem.FieldError;
import io.peftflow.trainer.jobs.FineTuningJob;
import io.peftflow.trainer.jobs.JobCheckpoint;
import io.peftflow.trainer.jobs.JobEventRow;
import io.peftflow.trainer.jobs.JobStatus;
import io.peftflow.trainer.jobs.JsonText;
import io.peftflow.trainer.jobs.InitFrom;
import io.peftflow.trainer.jobs.StackOn;
import io.peftflow.trainer.jobs.Recipe;
import io.peftflow.trainer.policies.RetrainingPolicy;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * What the API returns, shaped like OpenAI's fine-tuning objects ({@code object}, {@code id}, unix-second
 * timestamps, pages of service-kit's {@link io.peftflow.kit.api.Page}); JSON names are snake_case.
 */
final class Views {
    private Views() {
    }

    record DatasetView(String name, int version) {
    }

    record MethodView(String type, JsonNode hyperparameters) {
    }

    record ProgressView(int step, Integer totalSteps, Double trainLoss, int lastCheckpointStep) {
    }

    record ErrorView(String code, String message) {
    }

    /**
     * The registry's side of a training job: {@code pending} once trained, then {@code registered} as
     * {@code adapter} version {@code version}, or {@code failed} with the registry's {@code reason}. Null before.
     */
    record RegistrationView(String status, String adapter, Integer version, String reason) {
        static RegistrationView of(FineTuningJob j) {
            if (j.status() == JobStatus.TRAINED) {
                return new RegistrationView("pending", j.recipe.adapterName(), null, null);
            }
            if (j.registeredVersion != null) {
                return new RegistrationView("registered", j.recipe.adapterName(), j.registeredVersion, null);
            }
            if (JobFailed.Kind.REGISTRATION_FAILED.name().equals(j.errorKind)) {
                return new RegistrationView("failed", j.recipe.adapterName(), null, j.errorMessage);
            }
            return null;
        }
    }

    record ResultView(List<JobSucceeded.StoredFile> adapterFiles, JobSucceeded.StoredFile manifest,
                      JobSucceeded.StoredFile metricsFile, RunMetrics metrics, long trainableParameters, int steps,
                      JobSucceeded.Lineage lineage) {
    }

    record JobView(String object, String id, String kind, String status, String model, DatasetView dataset, MethodView method,
                   TrainingSettings training, long seed, String adapterName, InitFrom initFrom,
                   List<StackOn.Layer> stackOn, String origin, Long createdAt,
                   Long startedAt, Long finishedAt, int attempt, ProgressView progress, ErrorView error,
                   ResultView result, RegistrationView registration) {
        static JobView of(FineTuningJob j) {
            JobSucceeded s = j.succeeded();
            Recipe r = j.recipe;
            return new JobView("fine_tuning.job", j.id, j.kind.wire(), j.status().wire(), r.baseModel(),
                    new DatasetView(j.datasetName, j.datasetVersion), new MethodView(r.method(), r.hyperparameters()),
                    r.training(), r.seed(), r.adapterName(), r.initFrom(), StackOn.of(r), j.origin, unix(j.createdAt),
                    unix(j.startedAt),
                    unix(j.finishedAt), j.attempt, new ProgressView(j.step, j.totalSteps, j.trainLoss, j.lastCheckpointStep),
                    j.errorMessage == null ? null : new ErrorView(j.errorKind == null ? "cancelled" : j.errorKind.toLowerCase(),
                            j.errorMessage),
                    s == null ? null : new ResultView(s.adapterFiles(), s.manifest(), s.metricsFile(), s.metrics(),
                            s.trainableParameters(), s.steps(), s.lineage()),
                    RegistrationView.of(j));
        }
    }

    record EventView(String object, String id, long createdAt, String level, String type, String message, JsonNode data) {
        static EventView of(JobEventRow e) {
            return new EventView("fine_tuning.job.event", eventId(e.seq), unix(e.createdAt), e.level, e.type, e.message,
                    e.data == null ? null : JsonText.tree(e.data));
        }
    }

    record CheckpointView(String object, String id, long createdAt, String fineTuningJobId, int stepNumber,
                          Double trainLoss, String uri) {
        static CheckpointView of(JobCheckpoint c) {
            return new CheckpointView("fine_tuning.job.checkpoint", "ftckpt-" + c.jobId.substring("ftjob-".length())
                    + "-" + c.step, unix(c.createdAt), c.jobId, c.step, c.trainLoss, c.uri);
        }
    }

    record PolicyView(String object, String dataset, String model, MethodView method, TrainingSettings training,
                      long seed, String adapterName, InitFrom initFrom, long minNewExamples, int debounceSeconds,
                      Integer lastVersion,
                      Long createdAt, Long updatedAt) {
        static PolicyView of(RetrainingPolicy p) {
            Recipe r = p.recipe;
            return new PolicyView("fine_tuning.policy", p.dataset, r.baseModel(),
                    new MethodView(r.method(), r.hyperparameters()), r.training(), r.seed(),
                    r.adapterName(), r.initFrom(), p.minNewExamples, p.debounceSeconds, p.lastVersion, unix(p.createdAt),
                    unix(p.updatedAt));
        }
    }

    static String eventId(long seq) {
        return "ftevent-" + seq;
    }

    /** The event sequence number of an {@code after} cursor, null without one; a 400 when it is no event id. */
    static Long afterEvent(String after) {
        long seq = after == null ? -1 : eventSeq(after);
        if (after != null && seq < 0) {
            throw new Requests.BadRequest(List.of(new FieldError("after", "after must be an event id (ftevent-N)")));
        }
        return after == null ? null : seq;
    }

    /** The event sequence number of an {@code ftevent-N} id; -1 when it is not one. */
    static long eventSeq(String id) {
        if (id != null && id.matches("ftevent-[0-9]{1,18}")) {
            return Long.parseLong(id.substring("ftevent-".length()));
        }
        return -1;
    }

    static Long unix(OffsetDateTime t) {
        return t == null ? null : t.toEpochSecond();
    }
}
