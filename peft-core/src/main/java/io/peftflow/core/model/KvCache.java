package io.peftflow.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Per-layer keys and values of the tokens seen so far, in preallocated buffers {@code [B, KV, capacity, D]} whose
 * first {@link #length} columns are filled: a pass writes its keys and values in place after them instead of
 * concatenating a new cache tensor per layer and step. It owns its arrays in its own manager, so per-step temporaries
 * can be freed while the cache lives on.
 */
public final class KvCache implements AutoCloseable {
    /** Columns a full buffer grows by at least when one more token needs room: one copy then serves many steps. */
    private static final int GROWTH = 32;

    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private int length;
    /** The least capacity of buffers allocated from now on ({@link #reserve}). */
    private int reserved;

    public KvCache(NDManager parent, int layers) {
        this.manager = parent.newSubManager();
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
    }

    /** Tokens cached (the next token's cache index). */
    public int length() {
        return length;
    }

    /**
     * Makes buffers allocated from now on hold at least {@code tokens} tokens: a caller that knows how long its
     * sequences get (prompt and new tokens) then allocates once and never copies a full buffer into a larger one.
     */
    public void reserve(int tokens) {
        reserved = Math.max(reserved, tokens);
    }

    /** Writes this pass's keys/values of one layer after the cached ones and returns all of them (views, in k's scope). */
    NDArray[] append(int layer, NDArray k, NDArray v) {
        Shape s = k.getShape();
        int t = Math.toIntExact(s.get(2));
        ensure(layer, s.get(0), s.get(1), s.get(3), k.getDataType(), length + t);
        NDIndex step = new NDIndex(":, :, {}:{}", length, length + t);
        keys[layer].set(step, k);
        values[layer].set(step, v);
        NDIndex filled = new NDIndex(":, :, :{}", length + t);
        NDArray[] out = {keys[layer].get(filled), values[layer].get(filled)};
        for (NDArray x : out) {
            x.attach(k.getManager());
        }
        return out;
    }

    /**
     * Every layer's key and value buffers, allocated or grown so that {@code tokens} tokens fit: a fused kernel writes
     * a pass's keys and values into them at columns {@link #length} onwards.
     */
    NDArray[][] buffers(long batch, long kvHeads, long headDim, DataType dtype, int tokens) {
        for (int l = 0; l < keys.length; l++) {
            ensure(l, batch, kvHeads, headDim, dtype, tokens);
        }
        return new NDArray[][] {keys.clone(), values.clone()};
    }

    private void ensure(int layer, long batch, long kvHeads, long headDim, DataType dtype, int tokens) {
        int capacity = capacity(keys[layer]);
        if (keys[layer] != null && keys[layer].getShape().get(0) != batch) {
            throw new IllegalStateException("a pass of " + batch + " rows over a cache of "
                    + keys[layer].getShape().get(0));
        }
        if (tokens <= capacity) {
            return;
        }
        int grown = Math.max(reserved, tokens == capacity + 1 ? capacity + Math.max(GROWTH, capacity / 2) : tokens);
        Shape shape = new Shape(batch, kvHeads, grown, headDim);
        keys[layer] = refill(manager.zeros(shape, dtype), keys[layer]);
        values[layer] = refill(manager.zeros(shape, dtype), values[layer]);
    }

    /** {@code into} with {@code old}'s filled columns copied to its first ones; closes {@code old}. */
    private NDArray refill(NDArray into, NDArray old) {
        if (old != null) {
            if (length > 0) {
                try (NDManager scratch = manager.newSubManager()) {
                    into.set(new NDIndex(":, :, :{}", length), filled(old, scratch));
                }
            }
            old.close();
        }
        return into;
    }

    /** The filled columns of a buffer, a view in {@code scratch}. */
    private NDArray filled(NDArray buffer, NDManager scratch) {
        NDArray view = buffer.get(new NDIndex(":, :, :{}", length));
        view.attach(scratch);
        return view;
    }

    private static int capacity(NDArray buffer) {
        return buffer == null ? 0 : Math.toIntExact(buffer.getShape().get(2));
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
        out.reserved = reserved;
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
                    keys[l] = keep(keys[l], index, from, scratch);
                    values[l] = keep(values[l], index, from, scratch);
                }
            }
        }
        length -= from;
    }

    /** A buffer of the same capacity holding {@code rows}' filled columns from {@code from} on; closes the old one. */
    private NDArray keep(NDArray buffer, NDArray rows, int from, NDManager scratch) {
        NDArray picked = buffer.get(new NDIndex("{}", rows));
        picked.attach(scratch);
        Shape s = buffer.getShape();
        NDArray out = manager.zeros(new Shape(rows.size(), s.get(1), s.get(2), s.get(3)), buffer.getDataType());
        if (length > from) {
            NDArray kept = picked.get(new NDIndex(":, :, {}:{}", from, length));
            kept.attach(scratch);
            out.set(new NDIndex(":, :, :{}", length - from), kept);
        }
        buffer.close();
        return out;
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
        for (int l = 0; l < keys.length; l++) {
            if (keys[l] == null) {
                keys[l] = adopt(other.keys[l]);
                values[l] = adopt(other.values[l]);
            } else {
                keys[l] = stacked(keys[l], other, other.keys[l], total);
                values[l] = stacked(values[l], other, other.values[l], total);
            }
        }
        length = total;
        reserved = Math.max(reserved, other.reserved);
        other.close();
    }

    private NDArray adopt(NDArray buffer) {
        if (buffer != null) {
            buffer.attach(manager);
        }
        return buffer;
    }

    /**
     * One buffer with {@code mine}'s rows over {@code theirs}' (from {@code other}), each row's filled columns ending at
     * column {@code total}; closes {@code mine}.
     */
    private NDArray stacked(NDArray mine, KvCache other, NDArray theirs, int total) {
        Shape s = mine.getShape();
        long rows = s.get(0);
        int capacity = Math.max(Math.max(total, reserved), Math.max(capacity(mine), capacity(theirs)));
        NDArray out = manager.zeros(new Shape(rows + theirs.getShape().get(0), s.get(1), capacity, s.get(3)),
                mine.getDataType());
        try (NDManager scratch = manager.newSubManager()) {
            if (length > 0) {
                out.set(new NDIndex(":{}, :, {}:{}", rows, total - length, total), filled(mine, scratch));
            }
            if (other.length > 0) {
                out.set(new NDIndex("{}:, :, {}:{}", rows, total - other.length, total),
                        other.filled(theirs, scratch));
            }
        }
        mine.close();
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
