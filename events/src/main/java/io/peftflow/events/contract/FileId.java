package io.peftflow.events.contract;

import io.peftflow.events.training.DatasetRef;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The id of a file in the OpenAI-compatible files API ({@code /v1/files}). A file is something that exists anyway, so
 * the id names it and no table maps ids: an uploaded file is a dataset version, owned by dataset-service
 * ({@code file-ds-transactions-v2}); a result file is a fine-tuning job's step metrics, owned by trainer-service
 * ({@code file-ftjob-<24 hex>}); a Batch API input file is stored raw by dataset-service
 * ({@code file-batchinput-<24 hex>}, {@link io.peftflow.events.batch.BatchInputs}); a batch's output and error files are
 * inference-service's ({@code file-batch_<24 hex>-output|errors}). The gateway routes {@code /v1/files/{id}} to
 * {@link #ownerApi()} by the id alone.
 */
public sealed interface FileId {
    String PREFIX = "file-";
    /** The public API (first path segment) of the service that serves a file. */
    String DATASETS_API = "datasets";
    String FINE_TUNING_API = "fine-tuning";
    String BATCHES_API = "batches";

    String value();

    String ownerApi();

    /** Version {@code version} of dataset {@code dataset}, as uploaded. */
    record DatasetVersion(String dataset, int version) implements FileId {
        private static final Pattern ID = Pattern.compile("file-ds-(" + ResourceName.PATTERN.pattern()
                + ")-v([1-9][0-9]{0,8})");

        @Override
        public String value() {
            return PREFIX + "ds-" + dataset + "-v" + version;
        }

        @Override
        public String ownerApi() {
            return DATASETS_API;
        }
    }

    /** The result file of fine-tuning job {@code jobId} ({@code ftjob-...}): its metrics per step, as CSV. */
    record JobResult(String jobId) implements FileId {
        private static final Pattern ID = Pattern.compile("file-(ftjob-[0-9a-f]{24})");

        @Override
        public String value() {
            return PREFIX + jobId;
        }

        @Override
        public String ownerApi() {
            return FINE_TUNING_API;
        }
    }

    /** An input file of the Batch API ({@code purpose=batch}): one request per JSONL line, as uploaded. */
    record BatchInput(String hex) implements FileId {
        private static final Pattern ID = Pattern.compile("file-batchinput-([0-9a-f]{24})");

        @Override
        public String value() {
            return PREFIX + "batchinput-" + hex;
        }

        @Override
        public String ownerApi() {
            return DATASETS_API;
        }
    }

    /** What a batch wrote: a response per input line ({@code output}), or the lines that failed ({@code errors}). */
    record BatchResult(String batchId, Kind kind) implements FileId {
        /** A batch's id ({@code batch_<24 hex>}), as inference-service gives it. */
        public static final Pattern BATCH_ID = Pattern.compile("batch_[0-9a-f]{24}");
        private static final Pattern ID = Pattern.compile("file-(" + BATCH_ID.pattern() + ")-(output|errors)");

        public enum Kind {
            OUTPUT, ERRORS;

            public String wireName() {
                return name().toLowerCase(Locale.ROOT);
            }
        }

        @Override
        public String value() {
            return PREFIX + batchId + "-" + kind.wireName();
        }

        @Override
        public String ownerApi() {
            return BATCHES_API;
        }
    }

    /** The file an id names; empty when {@code id} is no file id. */
    static Optional<FileId> parse(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Matcher dataset = DatasetVersion.ID.matcher(id);
        if (dataset.matches()) {
            return Optional.of(new DatasetVersion(dataset.group(1), Integer.parseInt(dataset.group(2))));
        }
        Matcher result = JobResult.ID.matcher(id);
        if (result.matches()) {
            return Optional.of(new JobResult(result.group(1)));
        }
        Matcher input = BatchInput.ID.matcher(id);
        if (input.matches()) {
            return Optional.of(new BatchInput(input.group(1)));
        }
        Matcher batch = BatchResult.ID.matcher(id);
        return batch.matches() ? Optional.of(new BatchResult(batch.group(1),
                BatchResult.Kind.valueOf(batch.group(2).toUpperCase(Locale.ROOT)))) : Optional.empty();
    }

    /** The {@code /v1/files/...} service of a path below {@code /v1} such as {@code /files/file-ds-x-v1/content}. */
    static String ownerApiOfPath(String path) {
        String[] segments = path.split("/", 4);
        return segments.length > 2 ? parse(segments[2]).map(FileId::ownerApi).orElse(DATASETS_API) : DATASETS_API;
    }

    /**
     * The dataset version that training data named in a job request stands for: a dataset file id
     * ({@code file-ds-transactions-v2}), a version path ({@code datasets/transactions/versions/2}) or a dataset name
     * (its latest version, {@link DatasetRef#version()} 0). Empty when {@code reference} is none of these.
     */
    static Optional<DatasetRef> trainingData(String reference) {
        if (reference == null) {
            return Optional.empty();
        }
        Optional<FileId> file = parse(reference);
        if (file.isPresent()) {
            return file.get() instanceof DatasetVersion v ? Optional.of(DatasetRef.of(v.dataset(), v.version()))
                    : Optional.empty();
        }
        Matcher path = VERSION_PATH.matcher(reference);
        if (path.matches()) {
            return Optional.of(DatasetRef.of(path.group(1), Integer.parseInt(path.group(2))));
        }
        return ResourceName.valid(reference) ? Optional.of(DatasetRef.of(reference, 0)) : Optional.empty();
    }

    /** What {@link #trainingData} accepts, for error messages. */
    String TRAINING_DATA_FORMS = "a dataset file id (file-ds-<name>-v<N>), datasets/<name>/versions/<N> or a dataset name";

    Pattern VERSION_PATH = Pattern.compile("/?datasets/(" + ResourceName.PATTERN.pattern()
            + ")/versions/([1-9][0-9]{0,8})");
}
