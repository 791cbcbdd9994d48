package io.peftflow.core.generation;

import io.peftflow.core.PeftCoreException;
import io.peftflow.core.tuners.PeftModel;
import java.util.Arrays;
import java.util.Collection;
import java.util.Random;

/**
 * Temperature and nucleus (top-p) sampling, each new token handed to a sink as soon as it is chosen (streaming).
 * Temperature 0 is greedy. The same seed gives the same tokens, alone or in a {@link DecodingBatch} with others.
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

    private final PeftModel peft;

    /** A generator through {@code peft}'s active adapters. */
    public SampledGenerator(PeftModel peft) {
        this.peft = peft;
    }

    /**
     * Generates up to {@code maxNewTokens} after {@code prompt}; a stop token is not passed to the sink. A
     * {@link DecodingBatch} of this one sequence: what the sequence decodes in a batch with others.
     */
    public Finish generate(long[] prompt, int maxNewTokens, Sampling sampling, Collection<Long> stop, TokenSink sink) {
        Finish[] finish = new Finish[1];
        try (DecodingBatch batch = new DecodingBatch(peft)) {
            batch.join(prompt, maxNewTokens, sampling, stop, 0, new DecodingBatch.Sequence() {
                @Override
                public boolean accept(long token) {
                    return sink.accept(token);
                }

                @Override
                public void finished(Finish why) {
                    finish[0] = why;
                }

                @Override
                public void failed(RuntimeException e) {
                    throw e;
                }
            });
            while (!batch.isEmpty()) {
                batch.step();
            }
        }
        return finish[0];
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
