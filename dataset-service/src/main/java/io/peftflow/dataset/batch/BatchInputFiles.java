package io.peftflow.dataset.batch;

import io.peftflow.dataset.DatasetConfig;
import io.peftflow.events.batch.BatchInputs;
import io.peftflow.events.contract.FileId;
import io.peftflow.kit.problem.Problem;
import io.peftflow.kit.problem.ProblemException;
import io.peftflow.kit.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Batch API's input files ({@code purpose=batch}): validated whole, then stored raw as one object
 * ({@link BatchInputs}), so a file is either all there or not at all. The object is the only record: its id, size,
 * time and name come from S3, so nothing else can disagree with it.
 */
@ApplicationScoped
public class BatchInputFiles {
    /** A stored input file as the files API shows it. */
    public record Stored(FileId.BatchInput id, long bytes, long createdAt, String filename) {
    }

    private final ObjectStore store;
    private final DatasetConfig config;

    public BatchInputFiles(ObjectStore store, DatasetConfig config) {
        this.store = store;
        this.config = config;
    }

    /** Checks {@code file} and stores it; 413 over the size limit, 400 naming the bad lines and fields. */
    public Stored store(String tenant, Path file, String filename) {
        try {
            long bytes = Files.size(file);
            if (bytes > config.batchMaxBytes().asLongValue()) {
                throw new ProblemException(Response.Status.REQUEST_ENTITY_TOO_LARGE, "a batch input file may hold "
                        + config.batchMaxBytes().asLongValue() + " bytes (peftflow.dataset.batch-max-bytes), got " + bytes);
            }
            BatchFileValidator.Checked checked = new BatchFileValidator(config.batchMaxLines(),
                    (int) config.batchMaxLineBytes().asLongValue(), config.responseErrors()).check(file);
            if (!checked.problems().isEmpty()) {
                BatchFileValidator.LineProblem first = checked.problems().get(0);
                throw new ProblemException(Problem.of(Response.Status.BAD_REQUEST, "line " + first.line() + ", "
                        + first.field() + ": " + first.reason()).withErrors(checked.problems()));
            }
            long now = System.currentTimeMillis();
            FileId.BatchInput id = new FileId.BatchInput(BatchInputs.newestFirstHex(now));
            String name = filename == null || filename.isBlank() ? "batch.jsonl" : filename;
            try (InputStream in = Files.newInputStream(file)) {
                store.put(BatchInputs.BUCKET, BatchInputs.key(tenant, id), in, bytes, "application/x-ndjson",
                        Map.of(BatchInputs.FILENAME_METADATA, URLEncoder.encode(name, StandardCharsets.UTF_8)));
            }
            return new Stored(id, bytes, now / 1000, name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the uploaded batch file " + file, e);
        }
    }

    public Optional<Stored> find(String tenant, FileId.BatchInput id) {
        return store.stat(BatchInputs.BUCKET, BatchInputs.key(tenant, id)).map(s -> new Stored(id, s.size(),
                s.lastModified().toEpochSecond(), URLDecoder.decode(s.userMetadata()
                        .getOrDefault(BatchInputs.FILENAME_METADATA, "batch.jsonl"), StandardCharsets.UTF_8)));
    }

    public InputStream content(String tenant, FileId.BatchInput id) {
        return store.get(BatchInputs.BUCKET, BatchInputs.key(tenant, id));
    }

    public void delete(String tenant, FileId.BatchInput id) {
        store.delete(BatchInputs.BUCKET, BatchInputs.key(tenant, id));
    }

    /**
     * Up to {@code limit + 1} files newest first (ids sort so), after the file {@code after} (null: from the newest).
     * The tenant's keys are listed whole and sorted here: not every S3 server lists in key order (s3proxy's does not).
     */
    public List<Stored> newestFirst(String tenant, FileId.BatchInput after, int limit) {
        String from = after == null ? "" : BatchInputs.key(tenant, after);
        return store.list(BatchInputs.BUCKET, BatchInputs.prefix(tenant)).stream()
                .map(ObjectStore.Listed::key).filter(key -> key.compareTo(from) > 0).limit(limit + 1)
                .map(key -> FileId.parse(key.substring(key.lastIndexOf('/') + 1).replace(".jsonl", "")).orElse(null))
                .filter(FileId.BatchInput.class::isInstance)
                .flatMap(f -> find(tenant, (FileId.BatchInput) f).stream()) // deleted meanwhile: not listed
                .toList();
    }
}
