package io.peftflow.trainer.worker;

import io.peftflow.core.PeftCoreException;
import io.peftflow.core.evaluation.EvalMetrics;
import io.peftflow.core.evaluation.ExactMatch;
import io.peftflow.core.run.CancelToken;
import io.peftflow.core.run.RunResult;
import io.peftflow.core.run.RunSpec;
import io.peftflow.core.run.TrainingRun;
import io.peftflow.core.training.TrainResult;
import io.peftflow.core.training.TrainingConfig;
import io.peftflow.events.contract.S3Uri;
import io.peftflow.events.training.DatasetRef;
import io.peftflow.events.training.JobFailed;
import io.peftflow.events.training.JobProgress;
import io.peftflow.events.training.JobSucceeded;
import io.peftflow.events.training.RunMetrics;
import io.peftflow.kit.storage.ObjectStore;
import io.peftflow.trainer.TrainerConfig;
import io.peftflow.trainer.datasets.KnownVersion;
import io.peftflow.trainer.datasets.KnownVersions;
import io.peftflow.trainer.jobs.FineTuningJob;
import io.peftflow.trainer.jobs.InitFrom;
import io.peftflow.trainer.jobs.JsonText;
import io.peftflow.trainer.jobs.MajorityWarning;
import io.peftflow.trainer.jobs.Recipe;
import io.peftflow.trainer.jobs.StackOn;
import io.peftflow.trainer.models.BaseModels;
import io.peftflow.trainer.queue.JobQueue;
import io.peftflow.trainer.queue.Lease;
import io.peftflow.trainer.storage.Transfers;
import io.peftflow.trainer.validation.TrainingConfigs;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one claimed job with peft-core's {@link TrainingRun}: fetches the base model (cached by content), the splits
 * (checked against their announced SHA-256) and the checkpoint to resume from; uploads each checkpoint before training
 * goes on; on success uploads the adapter, manifest and metrics and records the outcome through {@link JobQueue}.
 */
@ApplicationScoped
public class JobRunner {
    private static final Logger LOG = Logger.getLogger(JobRunner.class);

    private final JobQueue queue;
    private final KnownVersions versions;
    private final BaseModels models;
    private final Transfers transfers;
    private final TrainerConfig config;

    public JobRunner(JobQueue queue, KnownVersions versions, BaseModels models, Transfers transfers,
                     TrainerConfig config) {
        this.queue = queue;
        this.versions = versions;
        this.models = models;
        this.transfers = transfers;
        this.config = config;
    }

    /** What the worker's heartbeat needs of the run in progress. */
    static final class Running {
        final Lease lease;
        final ProgressReporter progress;
        final CancelToken cancel = new CancelToken();
        /** Set when the heartbeat found the lease taken by another worker: record nothing. */
        volatile boolean lost;
        /** Set when this worker shuts down: give the job back instead of cancelling it. */
        volatile boolean released;
        /** Set once the run's outcome is being recorded: from then on the heartbeat only renews the lease. */
        volatile boolean finishing;

        Running(Lease lease) {
            this.lease = lease;
            this.progress = new ProgressReporter(lease);
        }
    }

    JobQueue.Outcome run(JobQueue.Claim claim, Running running, Path workDir) {
        FineTuningJob job = claim.job();
        Lease lease = claim.lease();
        Path dir = workDir.resolve(job.id + "-" + lease.attempt());
        try {
            RunResult result = train(claim, running, dir);
            running.finishing = true;
            if (running.lost) {
                return JobQueue.Outcome.LOST;
            }
            if (result.status() == TrainResult.Status.CANCELLED) {
                if (running.released) {
                    queue.release(lease);
                    return JobQueue.Outcome.LOST;
                }
                return queue.cancelled(lease);
            }
            queue.renew(lease, running.progress.latest()); // the last step's progress is always in the log
            return succeed(job, lease, result, dir);
        } catch (PeftCoreException | InputException e) {
            LOG.warnf("job %s failed on its input: %s", job.id, e.getMessage());
            return running.lost ? JobQueue.Outcome.LOST : queue.failed(lease, JobFailed.Kind.USER_ERROR, e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "job %s failed", job.id);
            return running.lost ? JobQueue.Outcome.LOST
                    : queue.failed(lease, JobFailed.Kind.SYSTEM_ERROR, e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            BaseModels.deleteTree(dir);
        }
    }

    /** The job's input is at fault (its dataset version is unknown here): a user error. */
    static final class InputException extends RuntimeException {
        InputException(String message) {
            super(message);
        }
    }

    private RunResult train(JobQueue.Claim claim, Running running, Path dir) {
        FineTuningJob job = claim.job();
        Recipe recipe = job.recipe;
        KnownVersion data = data(job);
        Path train = dir.resolve("data/train.jsonl");
        Path validation = dir.resolve("data/validation.jsonl");
        transfers.download(S3Uri.parse(data.trainUri), train, data.trainSha256);
        transfers.download(S3Uri.parse(data.validationUri), validation, data.validationSha256);
        Path modelDir = models.localDir(recipe.baseModel());

        ArtifactKeys keys = new ArtifactKeys(job.tenant, job.id);
        RunSpec.Builder spec = RunSpec.builder()
                .baseModel(modelDir, recipe.baseModel())
                .data(train, validation)
                .method(recipe.method(), recipe.hyperparameters())
                .training(TrainingConfigs.of(recipe.training(), recipe.seed(), config.checkpointEverySteps()))
                .device(config.device())
                .output(dir.resolve("run"));
        InitFrom init = recipe.initFrom();
        if (init != null && init.jobId() != null && claim.resumeFrom() == null) {
            spec.initFrom(parentAdapter(job, init, dir.resolve("init")));
        }
        spec.stackOn(stackedAdapters(job, dir.resolve("stack")));
        if (claim.resumeFrom() != null) {
            Path resume = dir.resolve("resume");
            transfers.downloadAll(config.artifactsBucket(), S3Uri.parse(claim.resumeFrom().uri).key(), resume);
            spec.resumeFrom(resume);
        }
        return new TrainingRun(spec.build())
                .listener(running.progress)
                .cancelToken(running.cancel)
                .checkpointSink((step, checkpoint) -> {
                    String prefix = keys.checkpoint(step);
                    transfers.uploadDir(checkpoint, config.artifactsBucket(), prefix);
                    JobProgress p = running.progress.latest();
                    if (!queue.checkpointSaved(running.lease, step, ObjectStore.uri(config.artifactsBucket(), prefix),
                            p == null ? null : p.trainLoss())) {
                        running.lost = true;
                        running.cancel.cancel();
                    }
                })
                .run();
    }

    /**
     * The dataset version {@code job} reads, known here, not deleted, its splits under its own prefix; else an
     * {@link InputException} saying which.
     */
    KnownVersion data(FineTuningJob job) {
        KnownVersion data = QuarkusTransaction.requiringNew().call(() ->
                versions.version(job.tenant, job.datasetName, job.datasetVersion)).orElseThrow(() ->
                new InputException("dataset '" + job.datasetName + "' version " + job.datasetVersion + " is not known"));
        if (data.deletedAt != null) {
            throw new InputException(KnownVersions.deleted(job.datasetName, job.datasetVersion));
        }
        for (String split : new String[] {data.trainUri, data.validationUri}) {
            if (!S3Uri.under(split, config.datasetsBucket(), job.tenant, job.datasetName)) {
                throw new InputException("dataset '" + job.datasetName + "' version " + job.datasetVersion
                        + " names a split outside its own s3://" + config.datasetsBucket() + "/" + job.tenant + "/"
                        + job.datasetName + "/");
            }
        }
        return data;
    }

    /** The parent version's adapter files (checked against their SHA-256) in {@code dir}. */
    private Path parentAdapter(FineTuningJob job, InitFrom init, Path dir) {
        FineTuningJob parent = QuarkusTransaction.requiringNew().call(() ->
                FineTuningJob.<FineTuningJob>findByIdOptional(init.jobId()).filter(p -> p.tenant.equals(job.tenant))
                        .orElseThrow(() -> new InputException("init_from: the job that trained " + init.adapter()
                                + " v" + init.version() + " is gone")));
        return storedAdapter(parent, dir).orElseThrow(() ->
                new InputException("init_from: " + init.adapter() + " v" + init.version() + " has no stored adapter"));
    }

    /**
     * The files of every frozen layer {@code job} trains on (or, for a trained job, was trained on), bottom first,
     * each from the job that trained it (checked against their SHA-256), in {@code dir/0}, {@code dir/1}, ...
     */
    List<Path> stackedAdapters(FineTuningJob job, Path dir) {
        List<Path> layers = new ArrayList<>();
        for (StackOn.Layer l : StackOn.of(job.recipe)) {
            String missing = "stack_on: " + l + " (job " + l.jobId() + ") has no stored adapter";
            FineTuningJob trained = QuarkusTransaction.requiringNew().call(() ->
                    FineTuningJob.<FineTuningJob>findByIdOptional(l.jobId()).filter(t -> t.tenant.equals(job.tenant)))
                    .orElseThrow(() -> new InputException(missing));
            layers.add(storedAdapter(trained, dir.resolve(String.valueOf(layers.size())))
                    .orElseThrow(() -> new InputException(missing)));
        }
        return layers;
    }

    /** The adapter files a training job stored (checked against their SHA-256), downloaded into {@code dir}. */
    Optional<Path> storedAdapter(FineTuningJob trained, Path dir) {
        JobSucceeded result = trained.succeeded();
        if (result == null) {
            return Optional.empty();
        }
        for (JobSucceeded.StoredFile f : result.adapterFiles()) {
            transfers.download(S3Uri.parse(f.uri()), dir.resolve(f.name()), f.sha256());
        }
        return Optional.of(dir);
    }

    private JobQueue.Outcome succeed(FineTuningJob job, Lease lease, RunResult r, Path dir) {
        ArtifactKeys keys = new ArtifactKeys(job.tenant, job.id);
        String bucket = config.artifactsBucket();
        List<JobSucceeded.StoredFile> adapter = new ArrayList<>();
        for (RunResult.OutputFile f : r.adapterFiles()) {
            adapter.add(transfers.upload(f.path(), new S3Uri(bucket, keys.adapter() + f.name()), contentType(f.name())));
        }
        JobSucceeded.StoredFile manifest = transfers.upload(r.manifest(), new S3Uri(bucket, keys.result("manifest.json")),
                "application/json");
        RunMetrics metrics = new RunMetrics(eval(r.base()), eval(r.tuned()), majority(r.majorityBaseline()));
        Path metricsFile = dir.resolve("metrics.json");
        write(metricsFile, JsonText.write(metrics));
        JobSucceeded.StoredFile metricsStored = transfers.upload(metricsFile, new S3Uri(bucket, keys.result("metrics.json")),
                "application/json");
        Recipe recipe = job.recipe;
        Path modelDir = models.localDir(recipe.baseModel());
        Map<String, String> v = r.versions();
        KnownVersion data = QuarkusTransaction.requiringNew().call(() ->
                versions.version(job.tenant, job.datasetName, job.datasetVersion).orElseThrow());
        JobSucceeded.Lineage lineage = new JobSucceeded.Lineage(
                new DatasetRef(job.datasetName, job.datasetVersion, data.trainSha256, data.validationSha256),
                new JobSucceeded.BaseModel(recipe.baseModel(), BaseModels.weightsSha256(modelDir)),
                recipe.methodSpec(), recipe.training(), recipe.seed(),
                new JobSucceeded.Libraries(v.get("peftflow"), v.get("djl"), v.get("pytorch")), data.deletedAt,
                recipe.initFrom() == null || recipe.initFrom().jobId() == null ? null : new JobSucceeded.Parent(
                        recipe.initFrom().adapter(), recipe.initFrom().version(), recipe.initFrom().jobId()),
                StackOn.of(recipe).stream().map(StackOn.Layer::parent).toList());
        JobSucceeded succeeded = new JobSucceeded(job.id, job.tenant, recipe.adapterName(), adapter, manifest, metricsStored,
                metrics, lineage, r.trainableParameters(), r.steps(), OffsetDateTime.now(), r.training().tokens());
        String stopped = stopped(r.training(), TrainingConfigs.of(recipe.training(), recipe.seed(),
                config.checkpointEverySteps()));
        Optional<String> warning = MajorityWarning.of(metrics);
        warning.ifPresent(w -> LOG.warnf("job %s: %s", job.id, w));
        return queue.succeed(lease, succeeded, summary(metrics) + warning.map(w -> "; " + w).orElse(""),
                warning.isPresent() ? "warning" : "info", stopped);
    }

    /**
     * Why training ended where it did and whose weights the adapter holds, for the job's log; null when it ran every
     * step and kept the last step's weights.
     */
    static String stopped(TrainResult t, TrainingConfig c) {
        if (t.status() == TrainResult.Status.EARLY_STOPPED) {
            return String.format(Locale.ROOT, "Stopped early at step %d of %d: eval_loss did not improve by more than "
                            + "%s for %d evaluations in a row (every %d steps); the adapter has the weights of step %d, "
                            + "the best evaluation (eval loss %.4f)", t.steps(), c.maxSteps() > 0 ? c.maxSteps() : t.steps(),
                    c.earlyStoppingMinDelta(), c.earlyStoppingPatience(), c.evalEvery(), t.weightsStep(), bestLoss(t));
        }
        if (t.weightsStep() != t.steps()) {
            return String.format(Locale.ROOT, "Trained all %d steps; the adapter has the weights of step %d, the best "
                    + "evaluation (eval loss %.4f)", t.steps(), t.weightsStep(), bestLoss(t));
        }
        return null;
    }

    private static double bestLoss(TrainResult t) {
        return t.evaluations().stream().filter(e -> e.step() == t.bestStep()).mapToDouble(e -> e.metrics().loss())
                .findFirst().orElse(Double.NaN);
    }

    private static RunMetrics.EvalMetrics eval(EvalMetrics m) {
        if (m == null) {
            return null;
        }
        return new RunMetrics.EvalMetrics(m.evalLoss(), m.perplexity(), m.tokenAccuracy(), finite(m.exactMatchAccuracy()),
                finite(m.macroExactMatch()), m.labelAccuracy());
    }

    private static RunMetrics.Baseline majority(ExactMatch.Majority m) {
        return m == null ? null : new RunMetrics.Baseline(m.answer(), m.accuracy(), m.macroAccuracy(), m.answers());
    }

    static String summary(RunMetrics m) {
        if (m.tuned() == null || m.base() == null) {
            return "trained";
        }
        return String.format(Locale.ROOT, "eval loss %.4f -> %.4f, exact match %s -> %s (macro %s -> %s; majority class %s)",
                m.base().evalLoss(), m.tuned().evalLoss(), pct(m.base().exactMatch()), pct(m.tuned().exactMatch()),
                pct(m.base().macroExactMatch()), pct(m.tuned().macroExactMatch()),
                m.majority() == null ? "n/a" : pct(m.majority().exactMatch()) + ", macro " + pct(m.majority().macroExactMatch()));
    }

    private static String pct(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static String contentType(String name) {
        return name.endsWith(".json") ? "application/json" : "application/octet-stream";
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
