package io.peftflow.core.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.ForwardArgs;
import io.peftflow.core.model.KvCache;
import io.peftflow.core.tuners.PeftModel;
import io.peftflow.core.tuners.lora.RowLora;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Sampled decoding of many sequences at once with continuous batching (vLLM's iteration-level scheduling): sequences
 * join between steps and leave as soon as they end, and each {@link #step} decodes one token for every row in one
 * forward over a shared KV cache. A joining sequence's prompt runs alone (its first token is chosen from that pass);
 * its cache is then appended to the batch's, the shorter side left-padded and masked, so every row attends to exactly
 * its own tokens at its own positions. Each row samples with its own settings and seeded {@link Random}: a row chooses
 * what decoding it alone chooses. Rows run through the {@link PeftModel}'s active adapters, or each through its own
 * LoRA adapter when a {@link RowLora} is given.
 */
public final class DecodingBatch implements AutoCloseable {
    /** The caller's side of a sequence: its tokens as they are chosen, then how it ended. */
    public interface Sequence extends SampledGenerator.TokenSink {
        /** Called once, after the last token: a stop token, {@code accept} said stop, or the token budget ran out. */
        void finished(SampledGenerator.Finish why);

        /** Called instead of {@link #finished} when a pass failed (every row of the batch fails with it). */
        void failed(RuntimeException e);
    }

    private static final class Row {
        final Sequence sequence;
        final SampledGenerator.Sampling sampling;
        final Random random;
        final Collection<Long> stop;
        final int adapter;
        /** Tokens this row may still generate. */
        int left;
        /** Columns of the batch's cache in front of this row's tokens (masked). */
        int pad;
        long last;

        Row(Sequence sequence, SampledGenerator.Sampling sampling, Collection<Long> stop, int adapter, int left) {
            this.sequence = sequence;
            this.sampling = sampling;
            this.random = new Random(sampling.seed());
            this.stop = stop;
            this.adapter = adapter;
            this.left = left;
        }
    }

    private final PeftModel peft;
    private final CausalLM model;
    private final NDManager manager;
    private final List<Row> rows = new ArrayList<>();
    private KvCache cache;
    private RowLora rowLora;
    /** The adapter of each row that {@link #rowLora} was last set to, so unchanged rows are not gathered again. */
    private int[] rowLoraRows;
    /**
     * The active adapters, prepared (LoRA's packed pairs) once for as long as they stay the active ones, not on every
     * pass; in their own scope. Null when none is held.
     */
    private PeftModel.Prepared prepared;
    private NDManager preparedScope;

    /** A batch through {@code peft}'s active adapters (a prompt adapter's virtual tokens go in front of each prompt). */
    public DecodingBatch(PeftModel peft) {
        this.peft = peft;
        this.model = peft.base();
        this.manager = model.manager().newSubManager();
        this.cache = new KvCache(manager, model.layers().size());
    }

    /**
     * Routes each row through its own adapter of {@code lora} (the {@code adapter} index it joined with), or, for
     * null, every row through the active adapters. The caller owns {@code lora} and sets it again after re-attaching.
     */
    public void rowLora(RowLora lora) {
        this.rowLora = lora;
        this.rowLoraRows = null;
    }

    /** Rows decoding. */
    public int size() {
        return rows.size();
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /**
     * Runs {@code prompt} alone, hands its first token to {@code sequence} and, unless that ended it, adds it as a row
     * for the following steps. It generates up to {@code maxNewTokens} (or what the model's positions leave room
     * for), ending early at a token in {@code stop}. {@code adapter} is its index into the {@link #rowLora} adapters.
     * A failed pass fails only this sequence.
     */
    public void join(long[] prompt, int maxNewTokens, SampledGenerator.Sampling sampling, Collection<Long> stop,
                     int adapter, Sequence sequence) {
        if (prompt.length == 0) {
            throw new PeftCoreException("cannot generate from an empty prompt");
        }
        GreedyGenerator.Prefix prefix = peft.generationPrefix().orElse(null);
        int virtual = prefix == null ? 0 : prefix.length();
        Row row = new Row(sequence, sampling, stop, adapter,
                Math.min(maxNewTokens, model.config().maxPositions() - virtual - prompt.length));
        if (row.left <= 0) {
            sequence.finished(SampledGenerator.Finish.LENGTH);
            return;
        }
        KvCache own = new KvCache(manager, model.layers().size());
        long token;
        try (NDManager step = manager.newSubManager()) {
            NDArray ids = step.create(prompt, new Shape(1, prompt.length));
            ForwardArgs args = prefix != null
                    ? ForwardArgs.embeds(prefix.embeddings(step, 1).concat(model.embed(ids), 1))
                    : ForwardArgs.ids(ids);
            setRows(new int[] {adapter});
            NDArray logits = forward(args.cache(own));
            token = SampledGenerator.choose(logits.get("0, -1, :").toType(DataType.FLOAT32, false).toFloatArray(),
                    sampling, row.random);
        } catch (RuntimeException e) {
            own.close();
            sequence.failed(e);
            return;
        }
        if (deliver(row, token)) {
            own.close();
            return;
        }
        int width = cache.length();
        if (own.length() > width) {
            rows.forEach(r -> r.pad += own.length() - width);
        } else {
            row.pad = width - own.length();
        }
        rows.add(row);
        // room for every row's remaining tokens, so that decode steps write into the cache without growing it
        cache.reserve(Math.max(width, own.length()) + rows.stream().mapToInt(r -> r.left).max().orElse(0));
        cache.appendRows(own);
    }

    /**
     * Decodes one token for every row; rows that end leave the batch. A failed pass fails every row and empties the
     * batch; the exception is rethrown.
     */
    public void step() {
        if (rows.isEmpty()) {
            return;
        }
        int b = rows.size();
        int width = cache.length();
        long[] tokens;
        try (NDManager step = manager.newSubManager()) {
            long[] last = new long[b];
            int[] adapters = new int[b];
            boolean padded = false;
            for (int r = 0; r < b; r++) {
                last[r] = rows.get(r).last;
                adapters[r] = rows.get(r).adapter;
                padded |= rows.get(r).pad > 0;
            }
            ForwardArgs args = ForwardArgs.ids(step.create(last, new Shape(b, 1)));
            if (padded) {
                // Unpadded rows need no mask: one new token over the cache sees every key (the fused kernel's path).
                long[] mask = new long[b * (width + 1)];
                for (int r = 0; r < b; r++) {
                    Arrays.fill(mask, r * (width + 1) + rows.get(r).pad, (r + 1) * (width + 1), 1);
                }
                args.attentionMask(step.create(mask, new Shape(b, width + 1)));
            }
            setRows(adapters);
            tokens = choose(forward(args.cache(cache)).get(":, -1, :"), step);
        } catch (RuntimeException e) {
            List<Row> failed = List.copyOf(rows);
            reset();
            failed.forEach(r -> r.sequence.failed(e));
            throw e;
        }
        List<Row> kept = new ArrayList<>(b);
        List<Long> keptIndex = new ArrayList<>(b);
        for (int r = 0; r < b; r++) {
            Row row = rows.get(r);
            if (!deliver(row, tokens[r])) {
                kept.add(row);
                keptIndex.add((long) r);
            }
        }
        if (kept.size() < b) {
            rows.clear();
            rows.addAll(kept);
            if (kept.isEmpty()) {
                reset();
            } else {
                // Columns every remaining row has as padding are dropped with the rows that left.
                int drop = kept.stream().mapToInt(r -> r.pad).min().orElse(0);
                cache.keepRows(keptIndex.stream().mapToLong(Long::longValue).toArray(), drop);
                kept.forEach(r -> r.pad -= drop);
            }
        }
    }

    /**
     * Each row's next token from the last position's logits {@code [rows, vocab]}: greedy rows take the argmax on the
     * device (the first largest, as {@link SampledGenerator#choose}), so only their ids reach the host; only sampled
     * rows' logits are copied, for each row's own seeded sampler.
     */
    private long[] choose(NDArray logits, NDManager step) {
        long[] tokens = logits.argMax(-1).toLongArray();
        int[] sampled = IntStream.range(0, rows.size()).filter(r -> rows.get(r).sampling.temperature() > 0).toArray();
        if (sampled.length == 0) {
            return tokens;
        }
        NDArray picked = sampled.length == rows.size() ? logits : logits.get(new NDIndex("{}", step.create(
                Arrays.stream(sampled).asLongStream().toArray()).toDevice(logits.getDevice(), false)));
        float[] values = picked.toType(DataType.FLOAT32, false).toFloatArray();
        int vocab = values.length / sampled.length;
        for (int i = 0; i < sampled.length; i++) {
            Row row = rows.get(sampled[i]);
            tokens[sampled[i]] = SampledGenerator.choose(Arrays.copyOfRange(values, i * vocab, (i + 1) * vocab),
                    row.sampling, row.random);
        }
        return tokens;
    }

    /**
     * Logits of one pass through the active adapters, prepared once while they stay the same ones (another adapter
     * active, or one re-attached, e.g. after a promotion, is prepared anew).
     */
    private NDArray forward(ForwardArgs args) {
        if (prepared == null || !prepared.current()) {
            release();
            preparedScope = manager.newSubManager();
            prepared = peft.prepareActive(preparedScope);
        }
        return model.forward(args);
    }

    private void release() {
        if (prepared != null) {
            prepared.close();
            preparedScope.close();
            prepared = null;
        }
    }

    /** Hands {@code token} to the row; true when the row has ended (and was told why). */
    private static boolean deliver(Row row, long token) {
        SampledGenerator.Finish finish = null;
        if (row.stop.contains(token) || !row.sequence.accept(token)) {
            finish = SampledGenerator.Finish.STOP;
        } else if (--row.left == 0) {
            finish = SampledGenerator.Finish.LENGTH;
        }
        row.last = token;
        if (finish != null) {
            row.sequence.finished(finish);
        }
        return finish != null;
    }

    private void setRows(int[] adapters) {
        if (rowLora != null && !Arrays.equals(adapters, rowLoraRows)) {
            rowLora.rows(adapters);
            rowLoraRows = adapters;
        }
    }

    private void reset() {
        rows.clear();
        release();
        cache.close();
        cache = new KvCache(manager, model.layers().size());
    }

    /** Frees the cache; rows still decoding fail. */
    @Override
    public void close() {
        List<Row> left = List.copyOf(rows);
        rows.clear();
        release();
        manager.close();
        left.forEach(r -> r.sequence.failed(new PeftCoreException("the decoding batch was closed")));
    }
}
