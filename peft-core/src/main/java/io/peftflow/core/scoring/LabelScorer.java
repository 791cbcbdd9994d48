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
import io.peftflow.core.model.ModelConfig;
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
    /** Labels per forward: 2,048 labels of a 1,024-token vocabulary over 5 positions each are 40 MB of logits. */
    private static final int ROWS = 2048;
    /**
     * Label tokens packed into one row of the label pass: attention within a row grows with the square of its width, and
     * each row repeats its prompt's cache; the demo's 8 labels (9 positions) fit one row.
     */
    private static final int ROW_POSITIONS = 32;
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

    /**
     * The positions a prompt (with any virtual tokens) and a label may span together: the model's, or its sliding
     * window's where shorter, since every label token attends to the whole prompt.
     */
    public static int positions(ModelConfig config) {
        int window = config.slidingWindow();
        return window > 0 ? Math.min(window, config.maxPositions()) : config.maxPositions();
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
     * the cache and predicts the rest. A label of n tokens thus costs n - 1 positions: the last prompt token is encoded
     * once, not once per label, and no label's last token is fed. The labels' tokens are packed side by side into rows
     * of up to {@value #ROW_POSITIONS} positions after their prompt's cache, each token seeing the prompt and its own
     * label's earlier tokens ({@link ForwardArgs#keyMask}): no padding to the longest label, and a prompt's cache is
     * repeated once per row, not once per label.
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
        int longest = queries.stream().flatMap(q -> q.continuations().stream()).mapToInt(c -> c.length).max()
                .orElseThrow();
        int head = queries.stream().mapToInt(q -> q.prompt().length).max().orElseThrow();
        int past = virtual + head;
        if (past + longest - 1 > positions(base.config())) {
            throw new PeftCoreException("prompt of " + head + " tokens and a label of " + longest
                    + " leave no room in the " + positions(base.config()) + " positions a label can be scored over");
        }
        // Per prompt row: virtual tokens, left padding, the prompt.
        long[] headIds = new long[b * head];
        long[] headMask = new long[b * past];
        for (int r = 0; r < b; r++) {
            long[] p = queries.get(r).prompt();
            int pad = head - p.length;
            System.arraycopy(p, 0, headIds, r * head + pad, p.length);
            Arrays.fill(headMask, r * past, r * past + virtual, 1);
            Arrays.fill(headMask, r * past + virtual + pad, (r + 1) * past, 1);
        }
        Packing packing = Packing.of(queries);
        try (NDManager scope = base.manager().newSubManager();
             KvCache promptCache = new KvCache(scope, base.layers().size())) {
            // LoRA packed once for both passes, so that every layer runs as one fused kernel call
            return model.withActiveAdapters(scope, () -> {
                if (rows != null) {
                    rows.rows(queries.stream().mapToInt(Query::adapter).toArray());
                }
                NDArray ids = scope.create(headIds, new Shape(b, head));
                ForwardArgs args = virtual > 0
                        ? ForwardArgs.embeds(prefix.embeddings(scope, b).concat(base.embed(ids), 1)) : ForwardArgs.ids(ids);
                NDArray last = base.hiddenStates(args.attentionMask(scope.create(headMask, new Shape(b, past)))
                        .cache(promptCache).lastPositionOnly(true)).get(":, -1");
                NDArray firstLogProbs = base.lmHead().forward(last).toType(DataType.FLOAT32, false).logSoftmax(-1);
                // each label's first token, picked on the device: [labels] values to the host, not [b, vocab]
                long vocab = firstLogProbs.getShape().get(1);
                long[] firstIndex = new long[packing.labels()];
                for (int r = 0, i = 0; r < b; r++) {
                    for (long[] c : queries.get(r).continuations()) {
                        firstIndex[i++] = r * vocab + c[0];
                    }
                }
                float[] first = firstLogProbs.reshape(-1).get(new NDIndex("{}", scope.create(firstIndex))).toFloatArray();
                float[] rest = packing.width() == 0 ? new float[0] : restOfLabels(base, queries, rows, packing,
                        promptCache, headMask, past, virtual, scope);
                double[][] out = new double[b][];
                for (int r = 0, i = 0; r < b; r++) {
                    out[r] = new double[queries.get(r).continuations().size()];
                    for (int l = 0; l < out[r].length; l++, i++) {
                        out[r][l] = first[i] + packing.sum(rest, i);
                    }
                }
                return out;
            });
        }
    }

    /**
     * The packed label pass: per row of {@code packing}, the log-probabilities of its labels' tokens after the first,
     * {@code [rows * width]}.
     */
    private static float[] restOfLabels(CausalLM base, List<Query> queries, RowLora rows, Packing packing,
                                        KvCache promptCache, long[] headMask, int past, int virtual, NDManager scope) {
        int n = packing.rows();
        int width = packing.width();
        long[] ids = new long[n * width];
        long[] targets = new long[n * width];
        float[] counted = new float[n * width];
        long[] positions = new long[n * width];
        boolean[] visible = new boolean[n * width * (past + width)];
        int[] rowAdapters = new int[n];
        for (int r = 0, i = 0; r < queries.size(); r++) {
            Query q = queries.get(r);
            for (long[] c : q.continuations()) {
                int row = packing.row(i);
                int at = packing.offset(i++);
                for (int j = 0; j < c.length - 1; j++) {
                    rowAdapters[row] = q.adapter();
                    int cell = row * width + at + j;
                    ids[cell] = c[j];
                    targets[cell] = c[j + 1];
                    counted[cell] = 1f;
                    // the label's tokens continue the prompt's positions (virtual tokens and prompt counted from 0)
                    positions[cell] = virtual + q.prompt().length + j;
                    int keys = cell * (past + width);
                    for (int k = 0; k < past; k++) {
                        visible[keys + k] = headMask[r * past + k] != 0;
                    }
                    Arrays.fill(visible, keys + past + at, keys + past + at + j + 1, true);
                }
            }
        }
        for (int cell = 0; cell < n * width; cell++) {
            if (counted[cell] == 0) {
                // a padding cell attends to the first key, so that its softmax has something to normalise
                visible[cell * (past + width)] = true;
            }
        }
        try (KvCache cache = packing.oneRowPerQuery() ? null : promptCache.repeatRows(scope, packing.rowsPerQuery())) {
            if (rows != null) {
                rows.rows(rowAdapters);
            }
            Shape shape = new Shape(n, width);
            NDArray logits = base.forward(ForwardArgs.ids(scope.create(ids, shape))
                    .positionIds(scope.create(positions, shape))
                    .keyMask(scope.create(visible, new Shape(n, width, past + width)))
                    .cache(cache == null ? promptCache : cache));
            NDArray logProbs = logits.toType(DataType.FLOAT32, false).logSoftmax(-1);
            return logProbs.gather(scope.create(targets, new Shape(n, width, 1)), 2).reshape(n, width)
                    .mul(scope.create(counted, shape)).toFloatArray();
        }
    }

    /**
     * Where each label's tokens after its first go in the packed label pass (labels numbered across the queries, in
     * order): a query's labels fill rows of up to {@value #ROW_POSITIONS} positions side by side (a longer label gets a
     * row of its own), each query's rows in turn.
     */
    private record Packing(int[] rowOf, int[] offsetOf, int[] lengthOf, int[] rowsPerQuery, int rows, int width) {
        static Packing of(List<Query> queries) {
            int labels = queries.stream().mapToInt(q -> q.continuations().size()).sum();
            int[] rowOf = new int[labels];
            int[] offsetOf = new int[labels];
            int[] lengthOf = new int[labels];
            int[] rowsPerQuery = new int[queries.size()];
            int rows = 0;
            int width = 0;
            int i = 0;
            for (int r = 0; r < queries.size(); r++) {
                int used = 0;
                for (long[] c : queries.get(r).continuations()) {
                    int length = c.length - 1;
                    // a single-token label has nothing here (its score is the prompt pass's)
                    if (length > 0 && (rowsPerQuery[r] == 0 || used + length > ROW_POSITIONS)) {
                        rows++;
                        rowsPerQuery[r]++;
                        used = 0;
                    }
                    rowOf[i] = rows - 1;
                    offsetOf[i] = used;
                    lengthOf[i++] = length;
                    used += length;
                    width = Math.max(width, used);
                }
            }
            return new Packing(rowOf, offsetOf, lengthOf, rowsPerQuery, rows, width);
        }

        int labels() {
            return rowOf.length;
        }

        int row(int label) {
            return rowOf[label];
        }

        int offset(int label) {
            return offsetOf[label];
        }

        boolean oneRowPerQuery() {
            return Arrays.stream(rowsPerQuery).allMatch(n -> n == 1);
        }

        /** The sum of label {@code label}'s cells in the packed pass's {@code [rows * width]} output. */
        double sum(float[] cells, int label) {
            double total = 0;
            int from = rowOf[label] * width + offsetOf[label];
            for (int j = 0; j < lengthOf[label]; j++) {
                total += cells[from + j];
            }
            return total;
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
