package io.peftflow.dataset.validation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Min, max, mean and percentiles of example lengths in constant memory: exact counts below 4096, then
 * power-of-two buckets whose upper bound stands for their members (so high percentiles are upper bounds).
 */
public final class LengthStats {
    private static final int EXACT = 4096;

    private final long[] exact = new long[EXACT];
    private final long[] log2 = new long[64];
    private long count;
    private long sum;
    private int min = Integer.MAX_VALUE;
    private int max;

    public void add(int length) {
        count++;
        sum += length;
        min = Math.min(min, length);
        max = Math.max(max, length);
        if (length < EXACT) {
            exact[length]++;
        } else {
            log2[64 - Long.numberOfLeadingZeros(length)]++;
        }
    }

    public long count() {
        return count;
    }

    /** {@code min, max, mean, p50, p95}; empty when nothing was counted. */
    public Map<String, Double> summary() {
        Map<String, Double> out = new LinkedHashMap<>();
        if (count == 0) {
            return out;
        }
        out.put("min", (double) min);
        out.put("max", (double) max);
        out.put("mean", Math.round(sum * 100.0 / count) / 100.0);
        out.put("p50", (double) percentile(0.50));
        out.put("p95", (double) percentile(0.95));
        return out;
    }

    private long percentile(double p) {
        long rank = (long) Math.ceil(p * count);
        long seen = 0;
        for (int i = 0; i < EXACT; i++) {
            seen += exact[i];
            if (seen >= rank) {
                return i;
            }
        }
        for (int b = 0; b < 64; b++) {
            seen += log2[b];
            if (seen >= rank) {
                return Math.min(max, (1L << b) - 1);
            }
        }
        return max;
    }
}
