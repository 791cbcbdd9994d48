package io.peftflow.dataset.upload;

import io.peftflow.data.ExampleParser;
import io.peftflow.data.ParserLimits;
import io.peftflow.dataset.DatasetConfig;
import io.peftflow.dataset.Problems;
import io.peftflow.dataset.catalog.Dataset;
import io.peftflow.dataset.catalog.DatasetRepository;
import io.peftflow.dataset.catalog.DatasetVersion;
import io.peftflow.dataset.catalog.VersionRepository;
import io.peftflow.dataset.catalog.VersionStatus;
import io.peftflow.dataset.events.VersionEvents;
import io.peftflow.dataset.storage.DatasetObjects;
import io.peftflow.dataset.storage.VersionKeys;
import io.peftflow.dataset.tokenizer.TokenizerRegistry;
import io.peftflow.dataset.validation.DatasetValidator;
import io.peftflow.dataset.validation.LengthCounter;
import io.peftflow.dataset.validation.LineError;
import io.peftflow.dataset.validation.ValidatedUpload;
import io.peftflow.dataset.validation.ValidationLimits;
import io.peftflow.dataset.validation.ValidationOptions;
import io.peftflow.dataset.validation.ValidationRejected;
import io.peftflow.kit.problem.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a spooled upload into the next version of a dataset: validate, split and balance on local disk first
 * (a rejected upload touches neither PostgreSQL nor S3), then take a version number, store the four objects,
 * and make the version ready in the transaction that enqueues its event. Any failure after the number was
 * taken deletes the objects and the row, so no partial version is ever visible.
 */
@ApplicationScoped
public class UploadService {
    private static final String NDJSON = "application/x-ndjson";

    private final DatasetConfig config;
    private final DatasetRepository datasets;
    private final VersionRepository versions;
    private final DatasetObjects objects;
    private final VersionEvents events;
    private final TokenizerRegistry tokenizers;
    private final ExampleParser parser;
    private final ValidationLimits limits;

    public UploadService(DatasetConfig config, DatasetRepository datasets, VersionRepository versions,
                         DatasetObjects objects, VersionEvents events, TokenizerRegistry tokenizers) {
        this.config = config;
        this.datasets = datasets;
        this.versions = versions;
        this.objects = objects;
        this.events = events;
        this.tokenizers = tokenizers;
        ParserLimits parserLimits = new ParserLimits((int) config.maxLineBytes().asLongValue(), config.maxNestingDepth());
        this.parser = new ExampleParser(parserLimits);
        this.limits = new ValidationLimits(parserLimits, config.minExamples(), config.warnExamples(),
                config.responseErrors(), config.maxLabels(), config.labelSetMax(), config.maxLabelLength(),
                config.imbalanceRatio(), config.maxOversampleFactor(), config.listedLines());
    }

    /** Where uploads are spooled: the configured work directory or the JVM's temp directory. */
    public Path workDir() {
        return config.workDir().orElse(Path.of(System.getProperty("java.io.tmpdir")));
    }

    public long maxUploadBytes() {
        return config.maxUploadBytes().asLongValue();
    }

    /** The ready version, and the lines dropped from it (the first ones; the report has all). */
    public record Outcome(DatasetVersion version, List<LineError> droppedLines) {
    }

    public Outcome upload(UploadRequest request, RawUpload raw) {
        SplitSettings split = splitSettings(request);
        LengthCounter lengths = request.baseModel() == null ? LengthCounter.CHARACTERS : tokenizers.counter(request.baseModel());
        ValidationOptions options = new ValidationOptions(request.dropInvalid(), request.rejectTrailingTurns(), request.balance(), split.fraction(),
                split.seed(), request.seed(), request.maxLength(), lengths);
        try (InputStream jsonl = raw.openJsonl(config.maxDecompressionRatio(), config.maxDecompressedBytes().asLongValue());
             ValidatedUpload validated = new DatasetValidator(limits, options, parser).run(jsonl, workDir())) {
            return store(request, raw, split, validated);
        } catch (ValidationRejected e) {
            throw Problems.unprocessable(e.getMessage(), e.errors());
        } catch (BadUploadException e) {
            throw Problems.unprocessable(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot process upload to " + request.tenant() + "/" + request.dataset(), e);
        }
    }

    private record SplitSettings(long seed, double fraction) {
    }

    /** An existing dataset's split settings win; a different explicit fraction would move examples between splits. */
    private SplitSettings splitSettings(UploadRequest request) {
        Dataset existing = QuarkusTransaction.requiringNew().call(() ->
                datasets.findByName(request.tenant(), request.dataset()).orElse(null));
        if (existing == null) {
            double fraction = request.validationFraction() != null ? request.validationFraction() : config.defaultValidationFraction();
            return new SplitSettings(request.seed(), fraction);
        }
        if (request.validationFraction() != null && request.validationFraction() != existing.validationFraction) {
            throw Problems.unprocessable("dataset '" + request.dataset() + "' splits with validation_fraction "
                    + existing.validationFraction + " (fixed by its first version, so that no example moves between "
                    + "splits); got " + request.validationFraction());
        }
        return new SplitSettings(existing.splitSeed, existing.validationFraction);
    }

    private Outcome store(UploadRequest request, RawUpload raw, SplitSettings split, ValidatedUpload validated)
            throws IOException {
        DatasetVersion reserved = QuarkusTransaction.requiringNew().call(() -> reserve(request, raw, split));
        VersionKeys keys = new VersionKeys(request.tenant(), request.dataset(), reserved.version, raw.objectName());
        try {
            ReportWriter.Written report = ReportWriter.write(reportHeader(request, reserved, raw), validated);
            objects.put(keys.raw(), raw.file(), raw.contentType(), raw.sha256());
            objects.put(keys.train(), validated.train(), NDJSON, validated.trainSha256());
            objects.put(keys.validation(), validated.validation(), NDJSON, validated.validationSha256());
            objects.put(keys.report(), report.file(), "application/json", report.sha256());
            DatasetVersion ready = QuarkusTransaction.requiringNew().call(() -> {
                DatasetVersion v = versions.findById(reserved.id);
                v.status = VersionStatus.READY;
                v.readyAt = OffsetDateTime.now();
                v.format = validated.format().wireName();
                v.rawBytes = raw.size();
                v.rawSha256 = raw.sha256();
                v.trainSha256 = validated.trainSha256();
                v.validationSha256 = validated.validationSha256();
                v.reportSha256 = report.sha256();
                v.lines = validated.counts().lines();
                v.invalidLines = validated.counts().invalid();
                v.trainExamples = validated.counts().train();
                v.validationExamples = validated.counts().validation();
                v.labelCounts = validated.labels();
                v.summary = validated.summary();
                datasets.countReady(v.dataset);
                events.ready(v, keys, validated);
                return v;
            });
            return new Outcome(ready, validated.firstErrors());
        } catch (IOException | RuntimeException e) {
            objects.deleteQuietly(keys);
            QuarkusTransaction.requiringNew().run(() -> versions.deleteById(reserved.id));
            throw e;
        }
    }

    /** Takes the next number under the dataset's row lock; the row stays PROCESSING (invisible) until ready. */
    private DatasetVersion reserve(UploadRequest request, RawUpload raw, SplitSettings split) {
        Dataset dataset = datasets.lockOrCreate(request.tenant(), request.dataset(), split.seed(), split.fraction());
        if (dataset.splitSeed != split.seed() || dataset.validationFraction != split.fraction()) {
            // A concurrent first upload created the dataset with other settings after we read it.
            throw new ProblemException(Response.Status.CONFLICT, "dataset '" + request.dataset()
                    + "' was created concurrently with other split settings; retry the upload");
        }
        DatasetVersion v = new DatasetVersion();
        v.dataset = dataset;
        v.version = versions.nextVersion(dataset);
        v.status = VersionStatus.PROCESSING;
        v.balance = request.balance().wireName();
        v.seed = request.seed();
        v.baseModel = request.baseModel();
        v.rawKey = new VersionKeys(request.tenant(), request.dataset(), v.version, raw.objectName()).raw();
        v.createdAt = OffsetDateTime.now();
        versions.persist(v);
        return v;
    }

    private static Map<String, Object> reportHeader(UploadRequest request, DatasetVersion version, RawUpload raw) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("tenant", request.tenant());
        header.put("dataset", request.dataset());
        header.put("version", version.version);
        header.put("createdAt", version.createdAt);
        header.put("rawSha256", raw.sha256());
        header.put("rawBytes", raw.size());
        header.put("onInvalid", request.dropInvalid() ? "drop" : "reject");
        header.put("onTrailingTurn", request.rejectTrailingTurns() ? "reject" : "warn");
        header.put("seed", request.seed());
        header.put("baseModel", request.baseModel());
        return header;
    }
}
