package io.peftflow.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Per-layer keys and values {@code [B, KV, S, D]} of the tokens seen so far. It owns its arrays in its own
 * manager, so per-step temporaries can be freed while the cache lives on.
 */
public final class KvCache implements AutoCloseable {
    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private int length;

    public KvCache(NDManager parent, int layers) {
        this.manager = parent.newSubManager();
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
    }

    /** Tokens cached (the next token's cache index). */
    public int length() {
        return length;
    }

    /** Appends this step's keys/values of one layer and returns the full ones. */
    NDArray[] append(int layer, NDArray k, NDArray v) {
        keys[layer] = extend(keys[layer], k);
        values[layer] = extend(values[layer], v);
        return new NDArray[] {keys[layer], values[layer]};
    }

    private NDArray extend(NDArray past, NDArray step) {
        NDArray full = past == null ? step.duplicate() : past.concat(step, 2);
        full.attach(manager);
        if (past != null) {
            past.close();
        }
        return full;
    }

    /**
     * A new cache in which each row of this one appears {@code times} times in a row (row r becomes rows
     * {@code r*times .. r*times+times-1}): a prompt encoded once, then scored with several continuations.
     */
    public KvCache repeatRows(NDManager parent, int times) {
        KvCache out = new KvCache(parent, keys.length);
        for (int l = 0; l < keys.length; l++) {
            if (keys[l] != null) {
                out.keys[l] = keys[l].repeat(0, times);
                out.keys[l].attach(out.manager);
                out.values[l] = values[l].repeat(0, times);
                out.values[l].attach(out.manager);
            }
        }
        out.length = length;
        return out;
    }

    void advance(int tokens) {
        length += tokens;
    }

    @Override
    public void close() {
        manager.close();
    }
}
