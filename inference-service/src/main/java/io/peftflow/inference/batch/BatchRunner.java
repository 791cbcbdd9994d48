package io.peftflow.inference.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.peftflow.events.batch.BatchInputs;
import io.peftflow.events.batch.BatchRequestLine;
import io.peftflow.events.contract.FileId;
import io.peftflow.events.contract.InvalidValue;
import io.peftflow.inference.InferenceConfig;
import io.peftflow.inference.api.FieldProblems;
import io.peftflow.inference.api.Responses;
import io.peftflow.inference.registry.ModelStack;
import io.peftflow.inference.runtime.Classifier;
import io.peftflow.kit.problem.ProblemException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs batches, one at a time per replica, a pass of up to {@code max-batch-inputs} lines at a time through the same
 * {@link Classifier} (and so the same dynamic batcher) as {@code /v1/classify}: a batch's passes queue beside live
 * requests instead of ahead of them. Every {@code checkpoint-interval}, between passes, the result lines scored since
 * the last checkpoint are stored as one object, then the batch's state, and a cancel is looked for: a cancel stops
 * between passes and keeps what was done, and the S3 round trips are not paid per pass (docs/BENCHMARKS.md).
 * <p>
 * A replica holds a batch by a lease in its state, renewed each pass. Every {@code sweep-interval} (and at start) a
 * replica takes over the active batches whose lease has lapsed: those of a replica that died or was restarted resume
 * at the line after their last saved state. Two replicas that take one over at the same moment may both run passes
 * until their next checkpoint, where each checks that the lease is its own; the passes' result objects are the same
 * either way.
 */
@ApplicationScoped
public class BatchRunner {
    private static final Logger LOG = Logger.getLogger(BatchRunner.class);

    private final BatchStore store;
    private final Classifier classifier;
    private final ObjectMapper json;
    private final InferenceConfig config;
    private final String self = "inference-" + UUID.randomUUID();
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private ExecutorService runner;
    private ScheduledExecutorService sweeper;

    public BatchRunner(BatchStore store, Classifier classifier, ObjectMapper json, InferenceConfig config) {
        this.store = store;
        this.classifier = classifier;
        this.json = json;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        if (config.vllm().url().isPresent()) {
            return; // champion-sync mode serves no model: batches are left to the replicas that do
        }
        runner = Executors.newSingleThreadExecutor(r -> new Thread(r, "batch-runner"));
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "batch-sweeper"));
        sweeper.execute(this::indexUnlisted);
        long every = config.batches().sweepInterval().toMillis();
        sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (sweeper != null) {
            sweeper.shutdownNow();
            runner.shutdownNow();
        }
    }

    /** Claims a new batch for this replica and queues it. */
    public Batch submit(Batch batch) {
        Batch claimed = store.save(batch.leased(self, leaseEnd()));
        enqueue(claimed.tenant(), claimed.id());
        return claimed;
    }

    private long leaseEnd() {
        return System.currentTimeMillis() + config.batches().lease().toMillis();
    }

    /** Lists the batches stored before pages were listed from an index (2026-12-07); once, at start. */
    private void indexUnlisted() {
        try {
            int indexed = store.indexUnlisted();
            if (indexed > 0) {
                LOG.infof("indexed %d batches stored before the index", indexed);
            }
        } catch (RuntimeException e) {
            LOG.warnf("indexing the batches stored before the index failed, trying at the next start: %s", e.getMessage());
        }
    }

    /** Takes over the active batches whose lease lapsed; renews nothing (a running batch renews its own). */
    void sweep() {
        try {
            for (String active : store.active()) {
                String[] tenantAndId = active.split("/", 2);
                if (tenantAndId.length != 2 || queued.contains(active)) {
                    continue;
                }
                store.find(tenantAndId[0], tenantAndId[1]).ifPresent(batch -> {
                    if (batch.status().terminal()) {
                        store.save(batch); // a runner died between its last state and the marker's removal
                    } else if (batch.leaseUntil() < System.currentTimeMillis()) {
                        LOG.infof("resuming batch %s of %s at line %d (lease of %s lapsed)", batch.id(), batch.tenant(),
                                batch.nextLine(), batch.runner());
                        submit(batch);
                    }
                });
            }
        } catch (RuntimeException e) {
            LOG.warnf("batch sweep failed, trying again in %s: %s", config.batches().sweepInterval(), e.getMessage());
        }
    }

    private void enqueue(String tenant, String id) {
        String key = tenant + "/" + id;
        if (runner != null && queued.add(key)) {
            runner.execute(() -> {
                try {
                    run(tenant, id);
                } finally {
                    queued.remove(key);
                }
            });
        }
    }

    private void run(String tenant, String id) {
        Batch batch = store.find(tenant, id).orElse(null);
        if (batch == null || batch.status().terminal() || !self.equals(batch.runner())) {
            return;
        }
        try {
            if (batch.status() == BatchStatus.VALIDATING) {
                batch = store.save(batch.started(countLines(batch), now()).leased(self, leaseEnd()));
            }
            // Passes after the state saved last may have left result lines: they are scored again.
            store.dropResults(batch, batch.nextLine());
            int pass = config.maxBatchInputs();
            long checkpointNanos = config.batches().checkpointInterval().toNanos();
            long nextCheckpoint = System.nanoTime();
            Pending pending = new Pending(batch.nextLine());
            try (BatchInputs.Lines in = new BatchInputs.Lines(store.input(batch), BatchInputs.MAX_LINE_BYTES)) {
                for (long skip = 0; skip < batch.nextLine(); skip++) {
                    in.next();
                }
                while (true) {
                    if (System.nanoTime() - nextCheckpoint >= 0) {
                        String holder = store.find(tenant, id).orElseThrow().runner();
                        if (!self.equals(holder)) { // its new holder scores the pending lines again
                            LOG.infof("batch %s was taken over by %s", id, holder);
                            return;
                        }
                        batch = flush(batch, pending);
                        pending = new Pending(batch.nextLine());
                        Optional<Long> cancelAsked = store.cancelRequestedAt(batch);
                        if (batch.status() == BatchStatus.CANCELLING || cancelAsked.isPresent()) {
                            if (batch.status() != BatchStatus.CANCELLING) {
                                batch = store.save(batch.moveTo(BatchStatus.CANCELLING, cancelAsked.get()));
                            }
                            store.save(batch.moveTo(BatchStatus.CANCELLED, now()));
                            return;
                        }
                        if (now() > batch.times().expiresAt()) {
                            store.save(batch.moveTo(BatchStatus.EXPIRED, now()));
                            return;
                        }
                        batch = store.save(batch.leased(self, leaseEnd()));
                        nextCheckpoint = System.nanoTime() + checkpointNanos;
                    }
                    List<String> lines = new ArrayList<>(pass);
                    for (String line; lines.size() < pass && (line = in.nextText()) != null; ) {
                        lines.add(line);
                    }
                    if (lines.isEmpty()) {
                        break;
                    }
                    score(batch, lines, pending);
                }
            }
            batch = flush(batch, pending);
            if (batch.status() != BatchStatus.FINALIZING) { // a replica killed while finalizing left it so
                batch = store.save(batch.moveTo(BatchStatus.FINALIZING, now()));
            }
            store.save(batch.moveTo(BatchStatus.COMPLETED, now()));
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "batch %s of %s failed at line %d", id, tenant, batch.nextLine() + 1);
            if (!batch.status().canMoveTo(BatchStatus.FAILED)) {
                return; // cancelling: the next sweep finishes the cancel
            }
            store.save(batch.failed(new Batch.Failure("server_error", "the batch stopped at line " + (batch.nextLine() + 1)
                    + ": " + e.getMessage(), null, batch.nextLine() + 1), now()));
        }
    }

    private long countLines(Batch batch) throws IOException {
        long lines = 0;
        try (BatchInputs.Lines in = new BatchInputs.Lines(store.input(batch), BatchInputs.MAX_LINE_BYTES)) {
            while (in.next() != null) {
                lines++;
            }
        }
        return lines;
    }

    /** A line's request, grouped with the lines of the pass that ask the same model for the same top k. */
    private record Group(String model, int topK) {
    }

    /** Result lines scored since the last checkpoint, from input line {@code firstLine} on: stored at the next one. */
    private static final class Pending {
        final long firstLine;
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        final ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int lines;
        int completed;

        Pending(long firstLine) {
            this.firstLine = firstLine;
        }
    }

    /** Stores the pending result lines, then returns the batch with them counted (its state is saved by the caller). */
    private Batch flush(Batch batch, Pending pending) {
        if (pending.output.size() > 0) {
            store.putResults(batch, FileId.BatchResult.Kind.OUTPUT, pending.firstLine, pending.output.toByteArray());
        }
        if (pending.errors.size() > 0) {
            store.putResults(batch, FileId.BatchResult.Kind.ERRORS, pending.firstLine, pending.errors.toByteArray());
        }
        return batch.progressed(pending.lines, pending.completed, pending.lines - pending.completed);
    }

    /** Scores one pass of lines, the ones after {@code pending}'s, into {@code pending}. */
    private void score(Batch batch, List<String> lines, Pending pending) {
        long first = pending.firstLine + pending.lines;
        ResultLine[] results = new ResultLine[lines.size()];
        Map<Group, List<Integer>> groups = new LinkedHashMap<>();
        Map<Integer, BatchRequestLine> requests = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            try {
                BatchRequestLine request = BatchRequestLine.parse(lines.get(i));
                requests.put(i, request);
                groups.computeIfAbsent(new Group(request.model(), request.topK()), g -> new ArrayList<>()).add(i);
            } catch (InvalidValue e) { // stored files were checked at upload: only a file changed behind our back
                results[i] = refused(batch.id(), first + i, null, FieldProblems.badRequest(e.field(), e.getMessage()));
            }
        }
        for (Map.Entry<Group, List<Integer>> group : groups.entrySet()) {
            classify(batch, first, group.getKey(), group.getValue(), requests, results);
        }
        for (ResultLine result : results) {
            boolean ok = result.response().statusCode() == 200;
            pending.completed += ok ? 1 : 0;
            try {
                (ok ? pending.output : pending.errors).write(json.writeValueAsBytes(result));
                (ok ? pending.output : pending.errors).write('\n');
            } catch (IOException e) {
                throw new IllegalStateException("cannot encode a result line of batch " + batch.id(), e);
            }
        }
        pending.lines += lines.size();
    }

    /**
     * Classifies a group's inputs in one call; when the call is refused (a 4xx: an unknown model, an input over the
     * context), each line again on its own, so only the lines at fault fail.
     */
    private void classify(Batch batch, long first, Group group, List<Integer> lines,
                          Map<Integer, BatchRequestLine> requests, ResultLine[] results) {
        ModelStack model;
        try {
            model = ModelStack.parse(group.model());
        } catch (IllegalArgumentException e) {
            lines.forEach(i -> results[i] = refused(batch.id(), first + i, requests.get(i).customId(),
                    FieldProblems.badRequest("model", e.getMessage())));
            return;
        }
        try {
            Classifier.Result result = classifier.classify(batch.tenant(), model,
                    lines.stream().map(i -> requests.get(i).input()).toList(), "input", group.topK())
                    .await().indefinitely(); // bounded by the classifier's own timeout
            for (int k = 0; k < lines.size(); k++) {
                int i = lines.get(k);
                Classifier.Item item = result.items().get(k);
                results[i] = ResultLine.of(batch.id(), first + i, requests.get(i).customId(), 200,
                        Responses.Classification.of(new Classifier.Result(result.version(),
                                List.of(new Classifier.Item(0, item.label(), item.probability(), item.top())))));
            }
        } catch (ProblemException e) {
            if (e.problem().status() >= 500) {
                throw e;
            }
            if (lines.size() == 1) {
                results[lines.get(0)] = refused(batch.id(), first + lines.get(0), requests.get(lines.get(0)).customId(), e);
                return;
            }
            lines.forEach(i -> classify(batch, first, group, List.of(i), requests, results));
        }
    }

    private static ResultLine refused(String batchId, long index, String customId, ProblemException e) {
        return ResultLine.of(batchId, index, customId, e.problem().status(), e.problem());
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
