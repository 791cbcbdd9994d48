package io.peftflow.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peftflow.core.checkpoint.Json;
import io.peftflow.core.run.TrainCommand;
import io.peftflow.core.tuners.AdapterFiles;
import io.peftflow.data.Sha256;
import io.peftflow.events.training.DatasetRef;
import io.peftflow.events.training.EvaluationSet;
import io.peftflow.events.training.EvaluationSucceeded;
import io.peftflow.events.training.JobSucceeded;
import io.peftflow.events.training.RunMetrics;
import io.peftflow.events.training.TrainingRequested;
import io.peftflow.events.training.TrainingSettings;
import io.peftflow.kit.storage.ObjectStore;
import io.peftflow.registry.catalog.PromotionEvaluation;
import io.quarkus.narayana.jta.QuarkusTransaction;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real LoRA adapter trained and saved by peft-core on its embedded tiny model (a few steps, once per test JVM), put
 * where a trainer would leave it, and the {@code training.job-succeeded} events that point at it.
 */
public final class TrainedAdapter {
    public static final String TRAINER_BUCKET = "peftflow-checkpoints";
    public static final String MODELS_BUCKET = "peftflow-models";
    public static final String BASE = "tiny-llama";
    /** A base with twice the hidden size: the tiny adapter's shapes do not fit it. */
    public static final String WIDE_BASE = "tiny-llama-wide";

    private static Path run;
    private static boolean basePublished;

    private TrainedAdapter() {
    }

    /** The run directory: {@code base/}, {@code adapter/}, {@code manifest.json}. */
    public static synchronized Path run() {
        if (run == null) {
            Path out = Path.of("target/trained-adapter");
            if (!Files.isRegularFile(out.resolve("adapter").resolve(AdapterFiles.WEIGHTS))) {
                TrainCommand.main(new String[] {"--method", "lora", "--steps", "4", "--batch", "8", "--train-size",
                    "32", "--validation-size", "8", "--out", out.toString()});
            }
            run = out;
        }
        return run;
    }

    /** Uploads the base models (fitting and not) and the trained files where a trainer puts them for the job. */
    public static void publishFiles(ObjectStore store, String tenant, String jobId) {
        Path r = run();
        try {
            publishBase(store, r.resolve("base"));
            ObjectNode wide = Json.read(r.resolve("base/config.json")).deepCopy();
            wide.put("hidden_size", wide.get("hidden_size").asInt() * 2);
            store.put(MODELS_BUCKET, WIDE_BASE + "/config.json", Json.MAPPER.writeValueAsBytes(wide),
                    "application/json");
            for (Path f : List.of(r.resolve("adapter/adapter_config.json"), r.resolve("adapter/adapter_model.safetensors"),
                    r.resolve("manifest.json"))) {
                store.put(TRAINER_BUCKET, resultKey(tenant, jobId, f), Files.readAllBytes(f),
                        "application/octet-stream");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The whole tiny base model, as trainer-service registers it (the same files: peft-core's TinyModel with its
     * default seed), once per JVM: a config.json alone would make trainer-service's workers on a stack shared with
     * these tests fail with "no model.safetensors". config.json goes last: its presence marks a model as there.
     */
    private static synchronized void publishBase(ObjectStore store, Path base) throws IOException {
        if (basePublished) {
            return;
        }
        try (Stream<Path> files = Files.list(base)) {
            for (Path f : files.sorted(Comparator.comparing((Path p) -> p.endsWith("config.json"))).toList()) {
                store.put(MODELS_BUCKET, BASE + "/" + f.getFileName(), Files.readAllBytes(f), "application/octet-stream");
            }
        }
        basePublished = true;
    }

    public static RunMetrics metrics(double exactMatch, double majority) {
        return new RunMetrics(new RunMetrics.EvalMetrics(20.1, 5e8, 0.01, 0.0, 0.0),
                new RunMetrics.EvalMetrics(0.6, 1.8, 0.8, exactMatch, exactMatch * 0.9),
                new RunMetrics.Baseline("groceries", majority, 0.2, 5));
    }

    /** The event a trainer sends for {@code jobId}'s files (published with {@link #publishFiles}). */
    public static JobSucceeded succeeded(String tenant, String adapter, String jobId, String base, RunMetrics metrics) {
        Path r = run();
        List<JobSucceeded.StoredFile> adapterFiles = new ArrayList<>();
        adapterFiles.add(stored(r.resolve("adapter/adapter_config.json"), tenant, jobId));
        adapterFiles.add(stored(r.resolve("adapter/adapter_model.safetensors"), tenant, jobId));
        ObjectNode config = Json.read(r.resolve("adapter/adapter_config.json")).deepCopy();
        return new JobSucceeded(jobId, tenant, adapter, adapterFiles, stored(r.resolve("manifest.json"), tenant, jobId), null,
                metrics, new JobSucceeded.Lineage(new DatasetRef("transactions", 1, "a".repeat(64), "b".repeat(64)),
                new JobSucceeded.BaseModel(base, "c".repeat(64)),
                new TrainingRequested.MethodSpec("lora", config),
                new TrainingSettings(4, null, 8, 1e-2, null, null, null), 42,
                new JobSucceeded.Libraries("0.1.0-SNAPSHOT", "0.33.0", "2.5.1"), null),
                4096, 4, OffsetDateTime.now(), 4096L);
    }

    /** The evaluation set the tests' evaluation jobs report: 100 examples of transactions v1's validation split. */
    public static final EvaluationSet SET = new EvaluationSet("transactions", 1, EvaluationSet.VALIDATION,
            "b".repeat(64), 100);

    /** A version's score on {@link #SET}: its first {@code exactMatch * 100} examples right. */
    public static EvaluationSucceeded.Score score(int version, double exactMatch) {
        boolean[] hits = new boolean[SET.examples()];
        for (int i = 0; i < Math.round(exactMatch * hits.length); i++) {
            hits[i] = true;
        }
        return new EvaluationSucceeded.Score(version, new RunMetrics.EvalMetrics(0.6, 1.8, 0.8, exactMatch,
                exactMatch * 0.9), EvaluationSucceeded.Score.encode(hits));
    }

    /**
     * What trainer-service answers to {@code adapter}'s latest pending evaluation request: the challenger and the
     * champion scored on {@link #SET}; null when no evaluation is pending (a first version).
     */
    public static EvaluationSucceeded evaluated(String tenant, String adapter, double challenger, double champion,
                                                double majority) {
        PromotionEvaluation e = QuarkusTransaction.requiringNew().call(() -> PromotionEvaluation.<PromotionEvaluation>find(
                "tenant = ?1 and status = ?2 and adapterId = (select a.id from Adapter a where a.tenant = ?1 and a.name = ?3)"
                        + " order by id desc", tenant, PromotionEvaluation.Status.PENDING, adapter).firstResult());
        if (e == null) {
            return null;
        }
        return new EvaluationSucceeded(e.jobId, tenant, e.requestId, adapter, SET,
                List.of(score(e.challengerVersion, challenger), score(e.championVersion, champion)),
                new RunMetrics.Baseline("groceries", majority, 0.2, 5), OffsetDateTime.now());
    }

    /** The same event with one file's listed hash replaced. */
    public static JobSucceeded withWrongHash(JobSucceeded job) {
        List<JobSucceeded.StoredFile> files = new ArrayList<>(job.adapterFiles());
        JobSucceeded.StoredFile w = files.get(1);
        files.set(1, new JobSucceeded.StoredFile(w.name(), w.uri(), "0".repeat(64), w.bytes()));
        return new JobSucceeded(job.jobId(), job.tenant(), job.adapterName(), files, job.manifest(), job.metricsFile(),
                job.metrics(), job.lineage(), job.trainableParameters(), job.steps(), job.finishedAt(),
                job.trainedTokens());
    }

    /** The same event trained on top of {@code stack} (frozen, bottom first). */
    public static JobSucceeded stackedOn(JobSucceeded job, List<JobSucceeded.Parent> stack) {
        JobSucceeded.Lineage l = job.lineage();
        return new JobSucceeded(job.jobId(), job.tenant(), job.adapterName(), job.adapterFiles(), job.manifest(),
                job.metricsFile(), job.metrics(), new JobSucceeded.Lineage(l.dataset(), l.baseModel(), l.method(),
                l.training(), l.seed(), l.libraries(), l.datasetDeletedAt(), l.parent(), stack),
                job.trainableParameters(), job.steps(), job.finishedAt(), job.trainedTokens());
    }

    /** The trainer's layout: {@code <tenant>/<job>/result/<file>} in the checkpoints bucket. */
    static String resultKey(String tenant, String jobId, Path file) {
        return tenant + "/" + jobId + "/result/" + file.getFileName();
    }

    private static JobSucceeded.StoredFile stored(Path file, String tenant, String jobId) {
        try {
            return new JobSucceeded.StoredFile(file.getFileName().toString(),
                    ObjectStore.uri(TRAINER_BUCKET, resultKey(tenant, jobId, file)),
                    Sha256.hex(file), Files.size(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
