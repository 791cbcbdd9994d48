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

    /** Probability buckets, 64 per halving below 1; the last, the tail, holds everything under 2^-64, 0 included. */
    private static final int BUCKETS = 64 * 64 + 1;

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

    /**
     * Samples the next token: the tokens in order of probability (descending, ties by ascending id), the nucleus as
     * the shortest prefix of that order whose mass reaches top_p, one draw walked through it. Token for token and draw
     * for draw what sorting the whole vocabulary gives (a seed keeps giving the same text), but the tokens are first
     * spread into buckets of probability and only the buckets the nucleus and the draw reach are sorted, primitively.
     */
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
        int[] start = new int[BUCKETS + 1];
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp((logits[i] - logits[best]) / sampling.temperature());
            sum += p[i];
            start[bucket(p[i]) + 1]++;
        }
        if (Double.isNaN(sum)) {
            // NaN orders above every probability and makes the nucleus' mass NaN: the first NaN token, one draw.
            random.nextDouble();
            int nan = 0;
            while (!Double.isNaN(p[nan])) {
                nan++;
            }
            return nan;
        }
        for (int b = 0; b < BUCKETS; b++) {
            start[b + 1] += start[b];
        }
        // Each token's sort key, in its bucket's range: the float logits[i] - logits[best] (of which a probability
        // is a monotone function) descending, then the id. A sorted bucket holds token ids instead.
        long[] order = new long[p.length];
        int[] end = Arrays.copyOf(start, BUCKETS);
        for (int i = 0; i < p.length; i++) {
            int bits = Float.floatToRawIntBits(logits[i] - logits[best]);
            int ascending = bits ^ ((bits >> 31) & 0x7fffffff);
            order[end[bucket(p[i])]++] = (long) ~ascending << 32 | i;
        }
        int tail = start[BUCKETS - 1];
        double kept = 0;
        int n = 0;
        for (int b = 0; b < BUCKETS - 1 && (n == 0 || kept / sum < sampling.topP()); b++) {
            sortBucket(order, start[b], start[b + 1], p);
            while (n < start[b + 1] && (n == 0 || kept / sum < sampling.topP())) {
                kept += p[(int) order[n++]];
            }
        }
        if (n == tail && kept / sum < sampling.topP()) {
            // The tail's probabilities are below half an ulp of kept (>= 1, the top token's): adding them leaves it.
            n = p.length;
        }
        double r = random.nextDouble() * kept;
        for (int i = 0; i < n; i++) {
            if (i == tail) {
                sortBucket(order, tail, p.length, p);
            }
            r -= p[(int) order[i]];
            if (r <= 0) {
                return order[i];
            }
        }
        return order[n - 1];
    }

    /** A probability's bucket: 0 for 1, growing as the probability falls (its exponent and top 6 mantissa bits). */
    private static int bucket(double p) {
        return (int) Math.min(BUCKETS - 1, (Double.doubleToRawLongBits(1.0) - Double.doubleToRawLongBits(p)) >>> 46);
    }

    /** Sorts one bucket's keys into token ids; keys that differ but round to one probability go back to id order. */
    private static void sortBucket(long[] order, int from, int to, double[] p) {
        Arrays.sort(order, from, to);
        for (int i = from; i < to; i++) {
            order[i] = (int) order[i];
        }
        for (int i = from; i < to; ) {
            int run = i + 1;
            while (run < to && p[(int) order[run]] == p[(int) order[i]]) {
                run++;
            }
            if (run - i > 1) {
                Arrays.sort(order, i, run);
            }
            i = run;
        }
    }
}
