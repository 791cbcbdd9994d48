package io.peftflow.inference.runtime;

import io.peftflow.core.generation.DecodingBatch;
import io.peftflow.core.generation.SampledGenerator;
import io.peftflow.core.tuners.PeftModel;
import io.peftflow.core.tuners.lora.RowLora;
import org.jboss.logging.Logger;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The completion requests of one base, decoded together on the base's thread with continuous batching: a request
 * joins the running {@link DecodingBatch} between two steps and leaves it when it ends (its token budget, a stop token
 * or sequence, its client gone). LoRA versions of the base share a batch, each row through its own adapter
 * ({@link RowLora}); any other version (bottleneck, prompt tuning, LoRA with modules_to_save, a stack) decodes in a
 * batch of its own version's requests. Requests join in arrival order: one that cannot join the running batch (another
 * group, or the batch full) holds back those behind it until the batch has drained (or has a free row).
 */
final class Decoder implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Decoder.class);
    /** The group of every mixable LoRA version: they share one batch. */
    private static final String LORA = "lora";

    /** A completion to decode: its prompt, budget, sampling and stop tokens, and where its tokens go. */
    record Request(ModelFiles.StagedStack adapter, long[] prompt, int maxTokens, SampledGenerator.Sampling sampling,
                   Collection<Long> stop, DecodingBatch.Sequence sequence, long arrivedNanos) {
    }

    private final LoadedBase base;
    private final PeftModel peft;
    private final int maxBatch;
    private final long waitNanos;
    private final DecodingBatch batch;
    private final Deque<Request> waiting = new ArrayDeque<>();
    /** The versions that joined the running batch: their adapters stay loaded until it has drained. */
    private final Set<String> joined = new HashSet<>();
    /** The running batch's group: {@link #LORA}, a version key, or null when no row decodes. */
    private String group;
    /** The running batch's active adapters (a version's layers), for a group of one version. */
    private List<String> active = List.of();
    /** The LoRA adapters of a {@link #LORA} batch, by row index; attached as {@link #rowLora} when decoding. */
    private final List<String> loras = new ArrayList<>();
    private RowLora rowLora;

    Decoder(LoadedBase base, PeftModel peft, int maxBatch, long waitNanos) {
        this.base = base;
        this.peft = peft;
        this.maxBatch = maxBatch;
        this.waitNanos = waitNanos;
        this.batch = new DecodingBatch(peft);
    }

    void add(Request request) {
        waiting.add(request);
    }

    /** Whether there is nothing to decode (the base's thread may block for work). */
    boolean idle() {
        return batch.isEmpty() && waiting.isEmpty();
    }

    /**
     * Nanoseconds the base's thread may wait for more work before the next {@link #step}: none while rows decode,
     * else what is left of the first waiting request's window (more requests may come to share the first step).
     */
    long waitNanos() {
        if (!batch.isEmpty() || waiting.isEmpty() || waiting.size() >= maxBatch) {
            return 0;
        }
        return Math.max(0, waiting.peek().arrivedNanos() + waitNanos - System.nanoTime());
    }

    boolean uses(String versionKey) {
        return joined.contains(versionKey);
    }

    /** Detaches the batch's adapters (another pass runs on the base); the next step sets them again. */
    void suspend() {
        if (rowLora != null) {
            rowLora.close();
            rowLora = null;
        }
    }

    /** Admits the waiting requests that may join, then decodes one token for every row. */
    void step() {
        while (!waiting.isEmpty() && batch.size() < maxBatch && admit(waiting.peek())) {
            waiting.poll();
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            activate();
            batch.step(); // a failed step has failed every row
        } catch (RuntimeException | Error e) {
            LOG.errorf(e, "decoding step on %s failed", base.name());
        }
        if (batch.isEmpty()) {
            drained();
        }
    }

    /** Joins the request to the running batch, if its group may; false to keep it waiting. */
    private boolean admit(Request r) {
        LoadedBase.Loaded loaded;
        try {
            loaded = base.load(r.adapter());
        } catch (RuntimeException | Error e) {
            r.sequence().failed(e instanceof RuntimeException x ? x : new IllegalStateException(e));
            return true;
        }
        String key = r.adapter().key();
        String wants = loaded.mixable() ? LORA : key;
        if (group != null && !group.equals(wants)) {
            return false;
        }
        group = wants;
        int adapter = 0;
        if (loaded.mixable()) {
            String name = loaded.names().get(0);
            adapter = loras.indexOf(name);
            if (adapter < 0) {
                loras.add(name);
                adapter = loras.size() - 1;
                suspend(); // attached again with the new adapter
            }
        } else {
            active = loaded.names();
        }
        joined.add(key);
        base.evict(Set.of());
        try {
            activate();
            batch.join(r.prompt(), r.maxTokens(), r.sampling(), r.stop(), adapter, r.sequence());
        } catch (RuntimeException | Error e) {
            r.sequence().failed(e instanceof RuntimeException x ? x : new IllegalStateException(e));
        }
        LOG.debugf("decoding batch on %s: %d rows, group %s, %d waiting", base.name(), batch.size(), group,
                waiting.size() - 1);
        if (batch.isEmpty()) {
            drained();
        }
        return true;
    }

    /** Sets the running batch's adapters on the base: each row's LoRA, or the version's layers. */
    private void activate() {
        if (LORA.equals(group)) {
            if (rowLora == null) {
                peft.setActive(); // what closing it restores: no adapter another pass left active (it may be evicted)
                rowLora = RowLora.attach(peft, loras);
                batch.rowLora(rowLora);
            }
        } else {
            peft.setActive(active.toArray(String[]::new));
            batch.rowLora(null);
        }
    }

    private void drained() {
        suspend();
        joined.clear();
        loras.clear();
        active = List.of();
        group = null;
    }

    /** Fails what waits and decodes (the base is closing). */
    @Override
    public void close() {
        RuntimeException closing = new IllegalStateException("the base model " + base.name() + " was unloaded");
        waiting.forEach(r -> r.sequence().failed(closing));
        waiting.clear();
        suspend();
        batch.close();
    }
}
