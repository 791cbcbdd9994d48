package io.peftflow.inference.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peftflow.events.batch.BatchInputs;
import io.peftflow.events.contract.FileId;
import io.peftflow.inference.InferenceConfig;
import io.peftflow.kit.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Batches in S3 (inference-service has no database): an object per batch, rewritten at each step, and the result lines
 * as an object per checkpoint (the passes scored since the last one), so a batch resumes after the last saved state
 * (the result objects from there on are dropped and scored again). Keys, all under the tenant, so another tenant's id names nothing:
 * <ul>
 * <li>{@code state/<tenant>/<batch>.json}: the {@link Batch};</li>
 * <li>{@code index/<tenant>/<batch>}: written once as the batch is created, what a page lists (ids sort newest
 * first). Not the state objects: s3proxy's filesystem store leaves an object out of a listing now and then while it
 * is rewritten (1 listing in 11 while two objects were rewritten in a loop);</li>
 * <li>{@code active/<tenant>/<batch>}: there while the batch is not finished, what {@link BatchRunner} sweeps;</li>
 * <li>{@code cancel/<tenant>/<batch>}: a cancel asked for, a separate object so no write of the runner loses it;</li>
 * <li>{@code results/<tenant>/<batch>/<output|errors>/<first line>.jsonl}: the result lines of one checkpoint.</li>
 * </ul>
 */
@ApplicationScoped
public class BatchStore {
    private static final String JSON = "application/json";
    private static final String STATE = "state/";
    private static final String STATE_SUFFIX = ".json";
    private static final String INDEX = "index/";
    private static final String ACTIVE = "active/";

    private final ObjectStore store;
    private final ObjectMapper json;
    private final String bucket;

    public BatchStore(ObjectStore store, ObjectMapper json, InferenceConfig config) {
        this.store = store;
        this.json = json;
        this.bucket = config.batches().bucket();
    }

    /** Saves the batch and whether it is active; returns it. */
    public Batch save(Batch batch) {
        try {
            store.put(bucket, stateKey(batch.tenant(), batch.id()), json.writeValueAsBytes(batch), JSON);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode batch " + batch.id(), e);
        }
        if (batch.status().terminal()) {
            store.delete(bucket, activeKey(batch.tenant(), batch.id()));
            store.delete(bucket, cancelKey(batch.tenant(), batch.id()));
        } else {
            store.put(bucket, activeKey(batch.tenant(), batch.id()), new byte[0], JSON);
        }
        return batch;
    }

    /** Lists the batch among the tenant's (before its state is saved: a page skips an index without a state). */
    public void index(Batch batch) {
        store.put(bucket, indexKey(batch.tenant(), batch.id()), new byte[0], JSON);
    }

    /** Indexes every stored batch that has a state and no index key; returns how many. */
    public int indexUnlisted() {
        Set<String> indexed = store.list(bucket, INDEX).stream().map(l -> l.key().substring(INDEX.length()))
                .collect(Collectors.toSet());
        int added = 0;
        for (ObjectStore.Listed state : store.list(bucket, STATE)) {
            String tenantAndId = state.key().substring(STATE.length(), state.key().length() - STATE_SUFFIX.length());
            if (!indexed.contains(tenantAndId)) {
                store.put(bucket, INDEX + tenantAndId, new byte[0], JSON);
                added++;
            }
        }
        return added;
    }

    public Optional<Batch> find(String tenant, String id) {
        if (!FileId.BatchResult.BATCH_ID.matcher(id).matches()) {
            return Optional.empty();
        }
        return store.stat(bucket, stateKey(tenant, id)).map(s -> read(stateKey(tenant, id)));
    }

    /**
     * Up to {@code limit} batches of the tenant, newest first, after batch {@code after} (null: from the newest). The
     * tenant's keys are listed whole and sorted here: not every S3 server lists in key order (s3proxy's filesystem
     * store does not), so a server-side {@code start-after} page could skip batches.
     */
    public List<Batch> newestFirst(String tenant, String after, int limit) {
        String prefix = indexKey(tenant, "");
        String from = after == null ? "" : indexKey(tenant, after);
        return store.list(bucket, prefix).stream().map(ObjectStore.Listed::key).filter(key -> key.compareTo(from) > 0)
                .map(key -> find(tenant, key.substring(prefix.length()))).flatMap(Optional::stream).limit(limit).toList();
    }

    /** The unfinished batches of every tenant, as {@code tenant/batch}. */
    public List<String> active() {
        return store.list(bucket, ACTIVE).stream().map(listed -> listed.key().substring(ACTIVE.length())).toList();
    }

    public void requestCancel(Batch batch) {
        store.put(bucket, cancelKey(batch.tenant(), batch.id()), new byte[0], JSON);
    }

    /** When a cancel of the batch was asked for (epoch seconds), if one was. */
    public Optional<Long> cancelRequestedAt(Batch batch) {
        return store.stat(bucket, cancelKey(batch.tenant(), batch.id())).map(s -> s.lastModified().toEpochSecond());
    }

    /** Stores the result lines of the passes since the last checkpoint, the first at input line {@code firstLine}. */
    public void putResults(Batch batch, FileId.BatchResult.Kind kind, long firstLine, byte[] lines) {
        store.put(bucket, resultsPrefix(batch, kind) + String.format("%010d", firstLine) + ".jsonl", lines,
                "application/x-ndjson");
    }

    /** Deletes the result objects from input line {@code firstLine} on (written after the last saved state). */
    public void dropResults(Batch batch, long firstLine) {
        for (FileId.BatchResult.Kind kind : FileId.BatchResult.Kind.values()) {
            String prefix = resultsPrefix(batch, kind);
            for (ObjectStore.Listed part : store.list(bucket, prefix)) {
                if (Long.parseLong(part.key().substring(prefix.length(), prefix.length() + 10)) >= firstLine) {
                    store.delete(bucket, part.key());
                }
            }
        }
    }

    /** The size of a result file: its objects together. */
    public long resultBytes(Batch batch, FileId.BatchResult.Kind kind) {
        return store.list(bucket, resultsPrefix(batch, kind)).stream().mapToLong(ObjectStore.Listed::size).sum();
    }

    /** A result file as one stream: its objects in line order, each opened when the previous one ends. */
    public InputStream results(Batch batch, FileId.BatchResult.Kind kind) {
        Iterator<ObjectStore.Listed> parts = store.list(bucket, resultsPrefix(batch, kind)).iterator();
        return new SequenceInputStream(new Enumeration<>() {
            @Override
            public boolean hasMoreElements() {
                return parts.hasNext();
            }

            @Override
            public InputStream nextElement() {
                return store.get(bucket, parts.next().key());
            }
        });
    }

    /** The batch's input file, as dataset-service stored it. */
    public InputStream input(Batch batch) {
        FileId.BatchInput file = (FileId.BatchInput) FileId.parse(batch.inputFileId()).orElseThrow();
        return store.get(BatchInputs.BUCKET, BatchInputs.key(batch.tenant(), file));
    }

    /** Whether the tenant has the batch input file {@code file}. */
    public boolean inputExists(String tenant, FileId.BatchInput file) {
        return store.stat(BatchInputs.BUCKET, BatchInputs.key(tenant, file)).isPresent();
    }

    private Batch read(String key) {
        try {
            return json.readValue(store.getBytes(bucket, key), Batch.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read batch " + ObjectStore.uri(bucket, key), e);
        }
    }

    private static String stateKey(String tenant, String id) {
        return STATE + tenant + "/" + id + STATE_SUFFIX;
    }

    private static String activeKey(String tenant, String id) {
        return ACTIVE + tenant + "/" + id;
    }

    private static String indexKey(String tenant, String id) {
        return INDEX + tenant + "/" + id;
    }

    private static String cancelKey(String tenant, String id) {
        return "cancel/" + tenant + "/" + id;
    }

    private static String resultsPrefix(Batch batch, FileId.BatchResult.Kind kind) {
        return "results/" + batch.tenant() + "/" + batch.id() + "/" + kind.wireName() + "/";
    }
}
