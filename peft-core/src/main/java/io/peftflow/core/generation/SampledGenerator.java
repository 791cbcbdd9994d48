package io.peftflow.core.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.ForwardArgs;
import io.peftflow.core.model.KvCache;
import io.peftflow.core.tuners.PeftModel;
import java.util.Arrays;
import java.util.Collection;
import java.util.Random;

/**
 * One sequence decoded with temperature and nucleus (top-p) sampling over a KV cache, each new token handed to a
 * sink as soon as it is chosen (streaming). Temperature 0 is greedy. The same seed gives the same tokens.
 */
public final class SampledGenerator {
    /** Why generation ended: a stop token or the sink said stop, or the token budget (or the context) ran out. */
    public enum Finish { STOP, LENGTH }

    /**
     * @param temperature 0 for greedy, else logits are divided by it before the softmax
     * @param topP        sample among the most likely tokens whose probabilities add up to this (1 for all)
     */
    public record Sampling(double temperature, double topP, long seed) {
        public Sampling {
            if (!(temperature >= 0) || !(topP > 0 && topP <= 1)) {
                throw new PeftCoreException("temperature must be >= 0 and top_p in (0, 1], got " + temperature
                        + " and " + topP);
            }
        }
    }

    /** Receives each generated token; returning false stops generation (e.g. a stop string was produced). */
    public interface TokenSink {
        boolean accept(long token);
    }

    private final CausalLM model;
    private final GreedyGenerator.Prefix prefix;
    private final PeftModel peft;

    /** A generator through {@code peft}'s active adapters. */
    public SampledGenerator(PeftModel peft) {
        this.model = peft.base();
        this.prefix = peft.generationPrefix().orElse(null);
        this.peft = peft;
    }

    /** The most new tokens a prompt of {@code promptTokens} leaves room for in the model's positions. */
    public int room(int promptTokens) {
        return model.config().maxPositions() - (prefix == null ? 0 : prefix.length()) - promptTokens;
    }

    /** Generates up to {@code maxNewTokens} after {@code prompt}; a stop token is not passed to the sink. */
    public Finish generate(long[] prompt, int maxNewTokens, Sampling sampling, Collection<Long> stop, TokenSink sink) {
        if (prompt.length == 0) {
            throw new PeftCoreException("cannot generate from an empty prompt");
        }
        int steps = Math.min(maxNewTokens, room(prompt.length));
        Random random = new Random(sampling.seed());
        try (NDManager gen = model.manager().newSubManager();
             KvCache cache = new KvCache(gen, model.layers().size())) {
            long[] next = prompt;
            for (int s = 0; s < steps; s++) {
                long chosen;
                try (NDManager step = gen.newSubManager()) {
                    NDArray ids = step.create(next, new Shape(1, next.length));
                    ForwardArgs args = s == 0 && prefix != null
                            ? ForwardArgs.embeds(prefix.embeddings(step, 1).concat(model.embed(ids), 1))
                            : ForwardArgs.ids(ids);
                    NDArray logits = peft.generationForward(args.cache(cache));
                    chosen = choose(logits.get("0, -1, :").toType(DataType.FLOAT32, false).toFloatArray(), sampling,
                            random);
                }
                if (stop.contains(chosen)) {
                    return Finish.STOP;
                }
                if (!sink.accept(chosen)) {
                    return Finish.STOP;
                }
                next = new long[] {chosen};
            }
        }
        return Finish.LENGTH;
    }

    static long choose(float[] logits, Sampling sampling, Random random) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        if (sampling.temperature() == 0) {
            return best;
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp((logits[i] - logits[best]) / sampling.temperature());
            sum += p[i];
        }
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        double[] probs = p;
        Arrays.sort(order, (a, b) -> Double.compare(probs[b], probs[a]));
        // The nucleus: the most likely tokens until their mass reaches top_p (at least one).
        double kept = 0;
        int n = 0;
        while (n < order.length && (n == 0 || kept / sum < sampling.topP())) {
            kept += p[order[n++]];
        }
        double r = random.nextDouble() * kept;
        for (int i = 0; i < n; i++) {
            r -= p[order[i]];
            if (r <= 0) {
                return order[i];
            }
        }
        return order[n - 1];
    }
}
