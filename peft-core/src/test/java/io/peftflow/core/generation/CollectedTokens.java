package io.peftflow.core.generation;

import java.util.ArrayList;
import java.util.List;

/** A {@link DecodingBatch} sequence that keeps every token it is handed and rethrows a failure. */
public final class CollectedTokens implements DecodingBatch.Sequence {
    private final List<Long> tokens = new ArrayList<>();

    @Override
    public boolean accept(long token) {
        return tokens.add(token);
    }

    @Override
    public void finished(SampledGenerator.Finish why) {
    }

    @Override
    public void failed(RuntimeException e) {
        throw e;
    }

    /** Tokens so far. */
    public int size() {
        return tokens.size();
    }

    public long[] tokens() {
        return tokens.stream().mapToLong(Long::longValue).toArray();
    }
}
