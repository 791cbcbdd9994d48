package io.peftflow.core.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.ForwardArgs;
import io.peftflow.core.model.KvCache;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * Greedy decoding with a KV cache: one forward over the prompt, then one token per step. Batches are
 * left-padded so every row's next token sits in the last column. Used for exact-match evaluation and batched
 * decoding (one adapter, or one per row).
 */
public final class GreedyGenerator {
    /** Steps between token reads when rows can stop early: a row runs at most this many steps past its stop. */
    private static final int READ_EVERY = 8;

    /**
     * Embeddings put in front of every prompt on the first step (prompt tuning's virtual tokens); they are
     * attended to through the KV cache afterwards.
     */
    public interface Prefix {
        /** Number of virtual tokens. */
        int length();

        /** {@code [batch, length(), hidden]} in the model dtype, created in {@code scope}. */
        NDArray embeddings(NDManager scope, int batch);
    }

    /**
     * Runs a whole generation with what its passes share prepared once around it, in {@code scope}: the active
     * adapters' packed LoRA weights ({@link io.peftflow.core.tuners.PeftModel#withActiveAdapters}), which per pass
     * cost two packing calls over every targeted Linear's weights on each decode step.
     */
    public interface Preparation {
        <T> T around(NDManager scope, Supplier<T> generation);
    }

    private static final Preparation NOTHING = new Preparation() {
        @Override
        public <T> T around(NDManager scope, Supplier<T> generation) {
            return generation.get();
        }
    };

    private final CausalLM model;
    private final Prefix prefix;
    private final Preparation prepared;

    public GreedyGenerator(CausalLM model) {
        this(model, null);
    }

    /** A generator whose prompts all start with {@code prefix} (null for none). */
    public GreedyGenerator(CausalLM model, Prefix prefix) {
        this(model, prefix, NOTHING);
    }

    /** A generator whose passes run through {@code model}'s forward inside {@code prepared}. */
    public GreedyGenerator(CausalLM model, Prefix prefix, Preparation prepared) {
        this.model = model;
        this.prefix = prefix;
        this.prepared = prepared;
    }

    /** New tokens for one prompt, stopping after an id in {@code stop} (included) or {@code maxNewTokens}. */
    public long[] generate(long[] prompt, int maxNewTokens, Collection<? extends Number> stop) {
        return generate(List.of(prompt), maxNewTokens, stop).get(0);
    }

    /**
     * New tokens for each prompt (batched, left-padded), each row stopping on its own. With no stop ids every row
     * gets {@code maxNewTokens} (fixed output lengths, as a benchmark wants). Rows may run through different LoRA
     * adapters: attach a {@link io.peftflow.core.tuners.lora.RowLora} and set its rows before calling.
     */
    public List<long[]> generate(List<long[]> prompts, int maxNewTokens, Collection<? extends Number> stop) {
        if (prompts.isEmpty()) {
            return List.of();
        }
        int b = prompts.size();
        int longest = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
        if (prompts.stream().anyMatch(p -> p.length == 0)) {
            throw new PeftCoreException("cannot generate from an empty prompt");
        }
        int virtual = prefix == null ? 0 : prefix.length();
        int steps = Math.max(0, Math.min(maxNewTokens, model.config().maxPositions() - virtual - longest));
        int width = virtual + longest + steps;
        // Prompts of one length need no mask: causal attention alone is right, and decode steps then take the
        // unmasked (flash) attention kernel.
        boolean padded = prompts.stream().anyMatch(p -> p.length != longest);
        long[] ids = new long[b * longest];
        long[] mask = new long[b * width];
        for (int r = 0; r < b; r++) {
            long[] p = prompts.get(r);
            int pad = longest - p.length;
            System.arraycopy(p, 0, ids, r * longest + pad, p.length);
            // Layout per row: virtual tokens, left padding, prompt, generated tokens.
            Arrays.fill(mask, r * width, r * width + virtual, 1);
            Arrays.fill(mask, r * width + virtual + pad, (r + 1) * width, 1);
        }
        long[] stopIds = stop.stream().mapToLong(Number::longValue).toArray();
        List<List<Long>> out = new ArrayList<>();
        for (int r = 0; r < b; r++) {
            out.add(new ArrayList<>());
        }
        try (NDManager gen = model.manager().newSubManager();
             KvCache cache = new KvCache(gen, model.layers().size())) {
            cache.reserve(width);
            NDArray fullMask = padded ? gen.create(mask, new Shape(b, width)) : null;
            NDArray prompt = gen.create(ids, new Shape(b, longest));
            prepared.around(gen, () -> decode(prompt, fullMask, steps, stopIds, out, gen, cache));
        }
        return out.stream().map(l -> l.stream().mapToLong(Long::longValue).toArray()).toList();
    }

    /**
     * The decode loop of {@link #generate}: the prompts ({@code [B, longest]}) then one token per step, appending each
     * row's tokens to {@code out} until it stops or {@code steps} are done.
     */
    private Void decode(NDArray prompt, NDArray fullMask, int steps, long[] stopIds, List<List<Long>> out,
                        NDManager gen, KvCache cache) {
        int b = out.size();
        int virtual = prefix == null ? 0 : prefix.length();
        boolean[] done = new boolean[b];
        // Tokens stay on the device: each read is a sync that drains the launch queue. Without stop ids they are read
        // once at the end, else every READ_EVERY steps to see whether all rows are done.
        int readEvery = stopIds.length == 0 ? Integer.MAX_VALUE : READ_EVERY;
        NDArray next = prompt;
        NDList pending = new NDList();
        for (int s = 0; s < steps; s++) {
            try (NDManager step = gen.newSubManager()) {
                // The input belongs to the step scope (results attach to their input's manager), so everything
                // of the step is freed with it; a kept token (in gen) goes in as a view.
                NDArray input = s == 0 ? next : next.reshape(b, 1);
                input.attach(step);
                boolean first = s == 0 && virtual > 0;
                ForwardArgs args = first
                        ? ForwardArgs.embeds(prefix.embeddings(step, b).concat(model.embed(input), 1))
                        : ForwardArgs.ids(input);
                if (fullMask != null) {
                    int seen = cache.length() + (int) input.getShape().get(1) + (first ? virtual : 0);
                    NDArray m = fullMask.get(":, :" + seen);
                    m.attach(step);
                    args.attentionMask(m);
                }
                NDArray logits = model.forward(args.cache(cache));
                next = logits.get(":, -1:, :").argMax(-1);
                next.attach(gen);
            }
            pending.add(next);
            if (pending.size() == readEvery || s == steps - 1) {
                if (collect(pending, out, done, stopIds)) {
                    break;
                }
                pending = new NDList();
            }
        }
        return null;
    }

    /**
     * Reads the pending steps' tokens ({@code [B, 1]} each) in one transfer and appends them to the rows not yet
     * stopped; true when every row has stopped.
     */
    private static boolean collect(NDList pending, List<List<Long>> out, boolean[] done, long[] stopIds) {
        int b = done.length;
        long[] tokens = NDArrays.concat(pending, 1).toType(DataType.INT64, false).toLongArray();
        int n = pending.size();
        boolean all = true;
        for (int r = 0; r < b; r++) {
            for (int s = 0; s < n && !done[r]; s++) {
                long t = tokens[r * n + s];
                out.get(r).add(t);
                done[r] = contains(stopIds, t);
            }
            all &= done[r];
        }
        return all;
    }

    private static boolean contains(long[] ids, long id) {
        for (long x : ids) {
            if (x == id) {
                return true;
            }
        }
        return false;
    }
}
