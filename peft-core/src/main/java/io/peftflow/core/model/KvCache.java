package io.peftflow.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.Arrays;
import java.util.stream.IntStream;

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
        put(layer, keys[layer] == null ? k.duplicate() : keys[layer].concat(k, 2),
                values[layer] == null ? v.duplicate() : values[layer].concat(v, 2));
        return get(layer);
    }

    /** One layer's keys and values so far (nulls before the first step). */
    NDArray[] get(int layer) {
        return new NDArray[] {keys[layer], values[layer]};
    }

    /** Replaces one layer's keys and values with ones that include this step's (a fused layer concatenates itself). */
    void put(int layer, NDArray k, NDArray v) {
        keys[layer] = replace(keys[layer], k);
        values[layer] = replace(values[layer], v);
    }

    private NDArray replace(NDArray past, NDArray full) {
        full.attach(manager);
        if (past != null) {
            past.close();
        }
        return full;
    }

    /**
     * A new cache in which row r of this one appears {@code times[r]} times in a row: prompts encoded once, then each
     * scored with its own number of continuations.
     */
    public KvCache repeatRows(NDManager parent, int[] times) {
        KvCache out = new KvCache(parent, keys.length);
        boolean uniform = Arrays.stream(times).allMatch(t -> t == times[0]);
        NDArray index = null;
        if (!uniform) {
            index = out.manager.create(IntStream.range(0, times.length)
                    .flatMap(r -> IntStream.generate(() -> r).limit(times[r]))
                    .asLongStream().toArray());
        }
        for (int l = 0; l < keys.length; l++) {
            if (keys[l] != null) {
                out.keys[l] = repeat(keys[l], times[0], index, out.manager);
                out.values[l] = repeat(values[l], times[0], index, out.manager);
            }
        }
        out.length = length;
        return out;
    }

    private static NDArray repeat(NDArray rows, int times, NDArray index, NDManager into) {
        NDArray out = index == null ? rows.repeat(0, times) : rows.get(new NDIndex("{}", index));
        out.attach(into);
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
