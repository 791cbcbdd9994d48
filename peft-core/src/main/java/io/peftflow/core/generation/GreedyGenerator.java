package io.peftflow.core.generation;

import ai.djl.ndarray.NDArray;
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

/**
 * Greedy decoding with a KV cache: one forward over the prompt, then one token per step. Batches are
 * left-padded so every row's next token sits in the last column. Used for exact-match evaluation.
 */
public final class GreedyGenerator {
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

    private final CausalLM model;
    private final Prefix prefix;

    public GreedyGenerator(CausalLM model) {
        this(model, null);
    }

    /** A generator whose prompts all start with {@code prefix} (null for none). */
    public GreedyGenerator(CausalLM model, Prefix prefix) {
        this.model = model;
        this.prefix = prefix;
    }

    /** New tokens for one prompt, stopping after an id in {@code stop} (included) or {@code maxNewTokens}. */
    public long[] generate(long[] prompt, int maxNewTokens, Collection<? extends Number> stop) {
        return generate(List.of(prompt), maxNewTokens, stop).get(0);
    }

    /** New tokens for each prompt (batched, left-padded), each row stopping on its own. */
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
        List<List<Long>> out = new ArrayList<>();
        for (int r = 0; r < b; r++) {
            out.add(new ArrayList<>());
        }
        boolean[] done = new boolean[b];
        long[] stopIds = stop.stream().mapToLong(Number::longValue).toArray();
        try (NDManager gen = model.manager().newSubManager();
             KvCache cache = new KvCache(gen, model.layers().size())) {
            NDArray fullMask = gen.create(mask, new Shape(b, width));
            NDArray next = gen.create(ids, new Shape(b, longest));
            for (int s = 0; s < steps; s++) {
                long[] chosen;
                try (NDManager step = gen.newSubManager()) {
                    // Inputs move into the step scope so that everything of this step is freed with it.
                    next.attach(step);
                    boolean first = s == 0 && virtual > 0;
                    int seen = cache.length() + (int) next.getShape().get(1) + (first ? virtual : 0);
                    NDArray m = fullMask.get(":, :" + seen);
                    m.attach(step);
                    ForwardArgs args = first
                            ? ForwardArgs.embeds(prefix.embeddings(step, b).concat(model.embed(next), 1))
                            : ForwardArgs.ids(next);
                    NDArray logits = model.forward(args.attentionMask(m).cache(cache));
                    chosen = logits.get(":, -1, :").argMax(-1).toType(DataType.INT64, false).toLongArray();
                }
                boolean all = true;
                for (int r = 0; r < b; r++) {
                    if (!done[r]) {
                        out.get(r).add(chosen[r]);
                        done[r] = contains(stopIds, chosen[r]);
                    }
                    all &= done[r];
                }
                if (all) {
                    break;
                }
                next = gen.create(chosen, new Shape(b, 1));
            }
        }
        return out.stream().map(l -> l.stream().mapToLong(Long::longValue).toArray()).toList();
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
