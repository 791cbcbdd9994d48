package io.peftflow.inference.batch;

import io.peftflow.events.batch.BatchInputs;
import io.peftflow.events.contract.FileId;
import io.peftflow.inference.api.FieldProblems;
import io.peftflow.kit.problem.ProblemException;
import io.peftflow.kit.limits.TextLimits;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

/** OpenAI's Batch API over {@link BatchStore} and {@link BatchRunner}: create, read, list, cancel, result files. */
@ApplicationScoped
public class BatchService {
    public static final String COMPLETION_WINDOW = "24h";
    private static final long WINDOW_SECONDS = 24 * 3600;
    /** OpenAI's bounds of {@code metadata}. */
    private static final int MAX_METADATA_PAIRS = 16;
    private static final int MAX_METADATA_KEY = 64;
    private static final int MAX_METADATA_VALUE = 512;

    /** A result file: its batch and which of the two. */
    public record ResultFile(FileId.BatchResult id, Batch batch, long bytes) {
    }

    private final BatchStore store;
    private final BatchRunner runner;

    public BatchService(BatchStore store, BatchRunner runner) {
        this.store = store;
        this.runner = runner;
    }

    /** A new batch over the tenant's input file, queued; 400/404 naming the field at fault. */
    public Batch create(String tenant, String inputFileId, String endpoint, String completionWindow,
                        Map<String, String> metadata) {
        if (!BatchInputs.ENDPOINT.equals(endpoint)) {
            throw FieldProblems.badRequest("endpoint", "must be " + BatchInputs.ENDPOINT + " (the Batch API runs "
                    + "classification only), got " + quote(endpoint));
        }
        if (!COMPLETION_WINDOW.equals(completionWindow)) {
            throw FieldProblems.badRequest("completion_window", "must be " + COMPLETION_WINDOW + ", got "
                    + quote(completionWindow));
        }
        Map<String, String> meta = metadata == null ? Map.of() : metadata;
        if (meta.size() > MAX_METADATA_PAIRS || meta.entrySet().stream().anyMatch(e -> e.getKey().length() > MAX_METADATA_KEY
                || e.getValue() == null || e.getValue().length() > MAX_METADATA_VALUE)) {
            throw FieldProblems.badRequest("metadata", "at most " + MAX_METADATA_PAIRS + " pairs of a key of up to "
                    + MAX_METADATA_KEY + " characters and a string value of up to " + MAX_METADATA_VALUE);
        }
        if (inputFileId == null || !(FileId.parse(inputFileId).orElse(null) instanceof FileId.BatchInput input)) {
            throw FieldProblems.badRequest("input_file_id", "must be a file uploaded with purpose=batch "
                    + "(file-batchinput-...), got " + quote(inputFileId));
        }
        if (!store.inputExists(tenant, input)) {
            throw FieldProblems.of(Response.Status.NOT_FOUND, "input_file_id", "no file " + quote(inputFileId));
        }
        long now = System.currentTimeMillis();
        String id = "batch_" + BatchInputs.newestFirstHex(now);
        Batch batch = Batch.created(id, tenant, inputFileId, endpoint, completionWindow, Map.copyOf(meta), now / 1000,
                WINDOW_SECONDS);
        store.index(batch);
        return runner.submit(batch);
    }

    /** The batch; a cancel asked for that the runner has not acted on yet shows as {@code cancelling}. */
    public Batch get(String tenant, String id) {
        Batch batch = store.find(tenant, id).orElseThrow(() -> new ProblemException(Response.Status.NOT_FOUND,
                "no batch " + quote(id)));
        if (batch.status().terminal() || batch.status() == BatchStatus.CANCELLING) {
            return batch;
        }
        return store.cancelRequestedAt(batch).map(at -> batch.moveTo(BatchStatus.CANCELLING, at)).orElse(batch);
    }

    /** Up to {@code limit + 1} batches newest first, after batch {@code after}. */
    public List<Batch> newestFirst(String tenant, String after, int limit) {
        return store.newestFirst(tenant, after == null ? null : get(tenant, after).id(), limit + 1);
    }

    /**
     * Asks for the batch to stop between passes; answered as {@code cancelling} until the runner has stopped it. A
     * finished batch is a 409; cancelling a cancelled or cancelling one again changes nothing.
     */
    public Batch cancel(String tenant, String id) {
        Batch batch = get(tenant, id);
        if (batch.status() == BatchStatus.CANCELLED || batch.status() == BatchStatus.CANCELLING) {
            return batch;
        }
        if (batch.status().terminal()) {
            throw new ProblemException(Response.Status.CONFLICT, "batch " + id + " is " + batch.status().wireName()
                    + ": only a batch still running can be cancelled");
        }
        store.requestCancel(batch);
        return batch.moveTo(BatchStatus.CANCELLING, System.currentTimeMillis() / 1000);
    }


    /** A finished batch's output or error file; 404 while it runs or when it has no such lines. */
    public ResultFile resultFile(String tenant, String fileId) {
        if (FileId.parse(fileId).orElse(null) instanceof FileId.BatchResult id) {
            Batch batch = store.find(tenant, id.batchId()).orElse(null);
            if (batch != null && hasFile(batch, id.kind())) {
                return new ResultFile(id, batch, store.resultBytes(batch, id.kind()));
            }
        }
        throw new ProblemException(Response.Status.NOT_FOUND, "no file " + quote(fileId));
    }

    public InputStream content(ResultFile file) {
        return store.results(file.batch(), file.id().kind());
    }

    /** OpenAI names a result file once the batch is over, if it has lines. */
    public static boolean hasFile(Batch batch, FileId.BatchResult.Kind kind) {
        return batch.status().terminal()
                && (kind == FileId.BatchResult.Kind.OUTPUT ? batch.counts().completed() : batch.counts().failed()) > 0;
    }

    private static String quote(String value) {
        return value == null ? "nothing" : "'" + TextLimits.abbreviate(value) + "'";
    }
}
