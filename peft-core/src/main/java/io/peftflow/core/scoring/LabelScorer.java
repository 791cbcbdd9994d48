package io.peftflow.core.scoring;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.generation.GreedyGenerator;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.ForwardArgs;
import io.peftflow.core.model.KvCache;
import io.peftflow.core.tuners.PeftModel;
import java.util.Arrays;
import java.util.List;

/**
 * Scores a fixed set of labels as continuations of prompts: each label's log-likelihood (the sum over its tokens,
 * EOS included, as training made the model emit them) under the active adapters. Every prompt is encoded once
 * (batched, left-padded) into a KV cache; the cache's rows are then repeated once per label and every label's
 * continuation is scored in one batched forward. The answer can only ever be one of the labels.
 */
public final class LabelScorer {
    /** Label rows per forward: 2,048 rows of a 1,024-token vocabulary over 5 positions are 40 MB of logits. */
    private static final int ROWS = 2048;
    private final PeftModel model;
    private final List<long[]> continuations;
    private final int longest;

    /** {@code continuations}: each label's tokens as training fed them (see {@link LabelSet#continuations}). */
    public LabelScorer(PeftModel model, List<long[]> continuations) {
        if (continuations.isEmpty() || continuations.stream().anyMatch(c -> c.length == 0)) {
            throw new PeftCoreException("every label needs at least one token, and there must be labels");
        }
        this.model = model;
        this.continuations = List.copyOf(continuations);
        this.longest = continuations.stream().mapToInt(c -> c.length).max().orElseThrow();
    }

    public int labels() {
        return continuations.size();
    }

    /** {@code [prompts][labels]} log-likelihoods, in chunks of prompts that keep one forward to ~{@value #ROWS} rows. */
    public double[][] logLikelihoods(List<long[]> prompts) {
        int chunk = Math.max(1, ROWS / continuations.size());
        double[][] out = new double[prompts.size()][];
        for (int from = 0; from < prompts.size(); from += chunk) {
            double[][] part = score(prompts.subList(from, Math.min(prompts.size(), from + chunk)));
            System.arraycopy(part, 0, out, from, part.length);
        }
        return out;
    }

    /**
     * {@code [prompts][labels]} log-likelihoods. The last prompt token goes with the continuation, so one forward over
     * {@code prompt[..-1]} fills the cache and the continuation's logits predict every label token.
     */
    private double[][] score(List<long[]> prompts) {
        if (prompts.isEmpty()) {
            return new double[0][];
        }
        if (prompts.stream().anyMatch(p -> p.length == 0)) {
            throw new PeftCoreException("cannot score labels after an empty prompt");
        }
        CausalLM base = model.base();
        GreedyGenerator.Prefix prefix = model.generationPrefix().orElse(null);
        int virtual = prefix == null ? 0 : prefix.length();
        int b = prompts.size();
        int n = continuations.size();
        int head = prompts.stream().mapToInt(p -> p.length - 1).max().orElse(0);
        int past = virtual + head;
        int width = 1 + longest;
        if (past + width > base.config().maxPositions()) {
            throw new PeftCoreException("prompt of " + (head + 1) + " tokens and a label of " + longest
                    + " leave no room in the model's " + base.config().maxPositions() + " positions");
        }
        // Per prompt row: virtual tokens, left padding, prompt[..-1]; per label row the same, then the continuation.
        long[] headIds = new long[b * head];
        long[] headMask = new long[b * past];
        for (int r = 0; r < b; r++) {
            long[] p = prompts.get(r);
            int pad = head - (p.length - 1);
            System.arraycopy(p, 0, headIds, r * head + pad, p.length - 1);
            Arrays.fill(headMask, r * past, r * past + virtual, 1);
            Arrays.fill(headMask, r * past + virtual + pad, (r + 1) * past, 1);
        }
        long[] tailIds = new long[b * n * width];
        long[] targets = new long[b * n * width];
        float[] counted = new float[b * n * width];
        long[] mask = new long[b * n * (past + width)];
        for (int r = 0; r < b; r++) {
            long[] p = prompts.get(r);
            for (int l = 0; l < n; l++) {
                long[] c = continuations.get(l);
                int row = r * n + l;
                tailIds[row * width] = p[p.length - 1];
                System.arraycopy(c, 0, tailIds, row * width + 1, c.length);
                System.arraycopy(c, 0, targets, row * width, c.length);
                Arrays.fill(counted, row * width, row * width + c.length, 1f);
                System.arraycopy(headMask, r * past, mask, row * (past + width), past);
                Arrays.fill(mask, row * (past + width) + past, row * (past + width) + past + 1 + c.length, 1);
            }
        }
        try (NDManager scope = base.manager().newSubManager();
             KvCache promptCache = new KvCache(scope, base.layers().size())) {
            if (past > 0) {
                NDArray m = scope.create(headMask, new Shape(b, past));
                ForwardArgs args = head == 0 ? ForwardArgs.embeds(prefix.embeddings(scope, b))
                        : virtual > 0 ? ForwardArgs.embeds(prefix.embeddings(scope, b)
                                .concat(base.embed(scope.create(headIds, new Shape(b, head))), 1))
                        : ForwardArgs.ids(scope.create(headIds, new Shape(b, head)));
                base.hiddenStates(args.attentionMask(m).cache(promptCache));
            }
            try (KvCache cache = promptCache.repeatRows(scope, n)) {
                NDArray ids = scope.create(tailIds, new Shape((long) b * n, width));
                NDArray m = scope.create(mask, new Shape((long) b * n, past + width));
                NDArray logits = base.forward(ForwardArgs.ids(ids).attentionMask(m).cache(cache));
                NDArray logProbs = logits.toType(DataType.FLOAT32, false).logSoftmax(-1);
                NDArray picked = logProbs.gather(scope.create(targets, new Shape((long) b * n, width, 1)), 2)
                        .reshape(b * n, width);
                float[] sums = picked.mul(scope.create(counted, new Shape((long) b * n, width))).sum(new int[] {1})
                        .toFloatArray();
                double[][] out = new double[b][n];
                for (int r = 0; r < b; r++) {
                    for (int l = 0; l < n; l++) {
                        out[r][l] = sums[r * n + l];
                    }
                }
                return out;
            }
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
