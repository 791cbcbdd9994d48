package io.peftflow.core.scoring;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.generation.GreedyGenerator;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.ForwardArgs;
import io.peftflow.core.model.KvCache;
import io.peftflow.core.tuners.PeftModel;
import io.peftflow.core.tuners.lora.RowLora;
import java.util.Arrays;
import java.util.List;

/**
 * Scores a fixed set of labels as continuations of prompts: each label's log-likelihood (the sum over its tokens,
 * EOS included, as training made the model emit them) under the active adapters. Every prompt is encoded once
 * (batched, left-padded) into a KV cache; the cache's rows are then repeated once per label and every label's
 * continuation is scored in one batched forward. The answer can only ever be one of the labels. Prompts may each bring
 * their own labels and, through a {@link RowLora}, their own LoRA adapter: one pass for a mixed-adapter batch.
 */
public final class LabelScorer {
    /** Label rows per forward: 2,048 rows of a 1,024-token vocabulary over 5 positions are 40 MB of logits. */
    private static final int ROWS = 2048;
    private final PeftModel model;
    private final List<long[]> continuations;

    /** {@code continuations}: each label's tokens as training fed them (see {@link LabelSet#continuations}). */
    public LabelScorer(PeftModel model, List<long[]> continuations) {
        if (continuations.isEmpty() || continuations.stream().anyMatch(c -> c.length == 0)) {
            throw new PeftCoreException("every label needs at least one token, and there must be labels");
        }
        this.model = model;
        this.continuations = List.copyOf(continuations);
    }

    public int labels() {
        return continuations.size();
    }

    /** Each label's tokens, in label order. */
    public List<long[]> continuations() {
        return continuations;
    }

    /** {@code [prompts][labels]} log-likelihoods under the active adapters. */
    public double[][] logLikelihoods(List<long[]> prompts) {
        return logLikelihoods(model, prompts.stream().map(p -> new Query(p, continuations, 0)).toList(), null);
    }

    /**
     * One prompt, the labels to score after it, and the row's adapter in a mixed batch (its index in the
     * {@link RowLora}; ignored without one).
     */
    public record Query(long[] prompt, List<long[]> continuations, int adapter) {
    }

    /**
     * Per query, its labels' log-likelihoods, in chunks that keep one forward to ~{@value #ROWS} label rows. With
     * {@code rows} every query's rows go through its own LoRA adapter (a mixed-adapter batch); without, through the
     * active adapters.
     */
    public static double[][] logLikelihoods(PeftModel model, List<Query> queries, RowLora rows) {
        double[][] out = new double[queries.size()][];
        int from = 0;
        while (from < queries.size()) {
            int to = from;
            int labelRows = 0;
            do {
                labelRows += queries.get(to++).continuations().size();
            } while (to < queries.size() && labelRows + queries.get(to).continuations().size() <= ROWS);
            double[][] part = score(model, queries.subList(from, to), rows);
            System.arraycopy(part, 0, out, from, part.length);
            from = to;
        }
        return out;
    }

    /**
     * {@code [queries][labels]} log-likelihoods. One forward over the whole prompts fills the cache, and its last
     * position's logits give every label's first token; a second forward feeds each label's tokens but its last after
     * the cache and predicts the rest. A label of n tokens thus costs n - 1 positions, not n + 1: the last prompt token
     * is encoded once, not once per label, and no label's last token is fed.
     */
    private static double[][] score(PeftModel model, List<Query> queries, RowLora rows) {
        if (queries.stream().anyMatch(q -> q.prompt().length == 0)) {
            throw new PeftCoreException("cannot score labels after an empty prompt");
        }
        if (queries.stream().anyMatch(q -> q.continuations().isEmpty()
                || q.continuations().stream().anyMatch(c -> c.length == 0))) {
            throw new PeftCoreException("every label needs at least one token, and there must be labels");
        }
        CausalLM base = model.base();
        GreedyGenerator.Prefix prefix = model.generationPrefix().orElse(null);
        int virtual = prefix == null ? 0 : prefix.length();
        int b = queries.size();
        int[] counts = queries.stream().mapToInt(q -> q.continuations().size()).toArray();
        int[] firstRow = new int[b + 1];
        for (int r = 0; r < b; r++) {
            firstRow[r + 1] = firstRow[r] + counts[r];
        }
        int total = firstRow[b];
        int longest = queries.stream().flatMap(q -> q.continuations().stream()).mapToInt(c -> c.length).max()
                .orElseThrow();
        int head = queries.stream().mapToInt(q -> q.prompt().length).max().orElseThrow();
        int past = virtual + head;
        int width = longest - 1;
        if (past + width > base.config().maxPositions()) {
            throw new PeftCoreException("prompt of " + head + " tokens and a label of " + longest
                    + " leave no room in the model's " + base.config().maxPositions() + " positions");
        }
        // Per prompt row: virtual tokens, left padding, the prompt; per label row the same, then its tokens but the last.
        long[] headIds = new long[b * head];
        long[] headMask = new long[b * past];
        for (int r = 0; r < b; r++) {
            long[] p = queries.get(r).prompt();
            int pad = head - p.length;
            System.arraycopy(p, 0, headIds, r * head + pad, p.length);
            Arrays.fill(headMask, r * past, r * past + virtual, 1);
            Arrays.fill(headMask, r * past + virtual + pad, (r + 1) * past, 1);
        }
        long[] tailIds = new long[total * width];
        long[] targets = new long[total * width];
        float[] counted = new float[total * width];
        long[] mask = new long[total * (past + width)];
        int[] tailAdapters = new int[total];
        for (int r = 0; r < b; r++) {
            for (int l = 0; l < counts[r]; l++) {
                long[] c = queries.get(r).continuations().get(l);
                int row = firstRow[r] + l;
                tailAdapters[row] = queries.get(r).adapter();
                System.arraycopy(c, 0, tailIds, row * width, c.length - 1);
                System.arraycopy(c, 1, targets, row * width, c.length - 1);
                Arrays.fill(counted, row * width, row * width + c.length - 1, 1f);
                System.arraycopy(headMask, r * past, mask, row * (past + width), past);
                Arrays.fill(mask, row * (past + width) + past, row * (past + width) + past + c.length - 1, 1);
            }
        }
        try (NDManager scope = base.manager().newSubManager();
             KvCache promptCache = new KvCache(scope, base.layers().size())) {
            if (rows != null) {
                rows.rows(queries.stream().mapToInt(Query::adapter).toArray());
            }
            NDArray ids = scope.create(headIds, new Shape(b, head));
            ForwardArgs args = virtual > 0
                    ? ForwardArgs.embeds(prefix.embeddings(scope, b).concat(base.embed(ids), 1)) : ForwardArgs.ids(ids);
            NDArray last = base.hiddenStates(args.attentionMask(scope.create(headMask, new Shape(b, past)))
                    .cache(promptCache)).get(":, -1");
            NDArray firstLogProbs = base.lmHead().forward(last).toType(DataType.FLOAT32, false).logSoftmax(-1);
            // each label row's first token, picked on the device: [total] values to the host, not [b, vocab]
            long vocab = firstLogProbs.getShape().get(1);
            long[] firstIndex = new long[total];
            for (int r = 0; r < b; r++) {
                for (int l = 0; l < counts[r]; l++) {
                    firstIndex[firstRow[r] + l] = r * vocab + queries.get(r).continuations().get(l)[0];
                }
            }
            float[] first = firstLogProbs.reshape(-1).get(new NDIndex("{}", scope.create(firstIndex))).toFloatArray();
            float[] rest = new float[total];
            if (width > 0) {
                try (KvCache cache = promptCache.repeatRows(scope, counts)) {
                    if (rows != null) {
                        rows.rows(tailAdapters);
                    }
                    NDArray tail = scope.create(tailIds, new Shape(total, width));
                    NDArray m = scope.create(mask, new Shape(total, past + width));
                    NDArray logits = base.forward(ForwardArgs.ids(tail).attentionMask(m).cache(cache));
                    NDArray logProbs = logits.toType(DataType.FLOAT32, false).logSoftmax(-1);
                    NDArray picked = logProbs.gather(scope.create(targets, new Shape(total, width, 1)), 2)
                            .reshape(total, width);
                    rest = picked.mul(scope.create(counted, new Shape(total, width))).sum(new int[] {1}).toFloatArray();
                }
            }
            double[][] out = new double[b][];
            for (int r = 0; r < b; r++) {
                out[r] = new double[counts[r]];
                for (int l = 0; l < counts[r]; l++) {
                    out[r][l] = first[firstRow[r] + l] + rest[firstRow[r] + l];
                }
            }
            return out;
        }
    }

    /** The index of the highest score (the first of equals). */
    public static int best(double[] scores) {
        int best = 0;
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] > scores[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Softmax of log-likelihoods: each label's probability among the labels. */
    public static double[] probabilities(double[] logLikelihoods) {
        double max = Arrays.stream(logLikelihoods).max().orElse(0);
        double[] p = new double[logLikelihoods.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logLikelihoods[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }
}
