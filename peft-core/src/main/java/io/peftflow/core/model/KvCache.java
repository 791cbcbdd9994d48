package io.peftflow.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
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

    /**
     * Keeps the rows {@code rows} (in that order) and drops every row's first {@code from} tokens: a continuous batch
     * whose finished sequences left, and the left padding all remaining rows had.
     */
    public void keepRows(long[] rows, int from) {
        if (from < 0 || from > length) {
            throw new IllegalArgumentException("cannot drop " + from + " of " + length + " cached tokens");
        }
        try (NDManager scratch = manager.newSubManager()) {
            NDArray index = scratch.create(rows).toDevice(manager.getDevice(), false);
            for (int l = 0; l < keys.length; l++) {
                if (keys[l] != null) {
                    put(l, pick(keys[l], index, from, scratch), pick(values[l], index, from, scratch));
                }
            }
        }
        length -= from;
    }

    private static NDArray pick(NDArray layer, NDArray rows, int from, NDManager scratch) {
        NDArray picked = layer.get(new NDIndex("{}", rows));
        picked.attach(scratch);
        return picked.get(new NDIndex(":, :, {}:", from)).duplicate();
    }

    /**
     * Appends {@code other}'s rows below this cache's and closes {@code other}: a sequence joining a continuous batch.
     * The shorter side is left-padded with zeros to the longer one's length; the caller masks that padding.
     */
    public void appendRows(KvCache other) {
        if (other.keys.length != keys.length) {
            throw new IllegalArgumentException("caches of " + keys.length + " and " + other.keys.length + " layers");
        }
        int total = Math.max(length, other.length);
        try (NDManager scratch = manager.newSubManager()) {
            for (int l = 0; l < keys.length; l++) {
                if (keys[l] == null) {
                    put(l, other.keys[l], other.values[l]);
                } else {
                    put(l, padLeft(keys[l], total - length, scratch).concat(
                                    padLeft(other.keys[l], total - other.length, scratch), 0),
                            padLeft(values[l], total - length, scratch).concat(
                                    padLeft(other.values[l], total - other.length, scratch), 0));
                }
            }
        }
        length = total;
        other.close();
    }

    /** {@code tokens} zero keys (or values) in front of each row's, in {@code scratch}; the layer itself for none. */
    private static NDArray padLeft(NDArray layer, int tokens, NDManager scratch) {
        if (tokens == 0) {
            return layer;
        }
        Shape s = layer.getShape();
        return scratch.zeros(new Shape(s.get(0), s.get(1), tokens, s.get(3)), layer.getDataType()).concat(layer, 2);
    }

    void advance(int tokens) {
        length += tokens;
    }

    @Override
    public void close() {
        manager.close();
    }
}
