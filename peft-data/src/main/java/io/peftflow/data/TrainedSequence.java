package io.peftflow.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An example as causal-LM training feeds it to the model: BOS (when the tokenizer has one), then the
 * template's rendering split into maximal runs of context and of trained text, each run tokenised on its own
 * (so the context is tokenised exactly as {@link PromptTemplate#renderPrompt} is at generation time), then EOS
 * as a trained token. Its {@link #length} is an example's trained length: what dataset-service validates
 * against {@code max_length} and what peft-core's encoder compares with the context.
 *
 * @param ids     the token ids
 * @param trained per id, whether it carries the loss (trained text and EOS)
 * @param bos     whether {@code ids[0]} is the BOS token
 */
public record TrainedSequence(long[] ids, boolean[] trained, boolean bos) {

    /** A maximal run of rendered text that is all context or all trained. */
    public record Run(String text, boolean trained) {
    }

    /** The runs of {@code template}'s rendering of {@code example}, in order. */
    public static List<Run> runs(Example example, PromptTemplate template) {
        List<PromptTemplate.Segment> segments = template.render(example);
        List<Run> runs = new ArrayList<>(4);
        int i = 0;
        while (i < segments.size()) {
            boolean trained = segments.get(i).trained();
            StringBuilder text = new StringBuilder();
            for (; i < segments.size() && segments.get(i).trained() == trained; i++) {
                text.append(segments.get(i).text());
            }
            runs.add(new Run(text.toString(), trained));
        }
        return runs;
    }

    /** Encodes {@code example}; EOS is left out only when the tokenizer has none (the trainer refuses those). */
    public static TrainedSequence encode(Example example, PromptTemplate template, TextTokenizer tokenizer) {
        long[] ids = new long[64];
        boolean[] trained = new boolean[64];
        int n = 0;
        boolean bos = tokenizer.bosId().isPresent();
        if (bos) {
            ids[n++] = tokenizer.bosId().get();
        }
        for (Run run : runs(example, template)) {
            long[] tokens = tokenizer.encodeText(run.text());
            if (n + tokens.length + 1 > ids.length) {
                ids = Arrays.copyOf(ids, 2 * (n + tokens.length + 1));
                trained = Arrays.copyOf(trained, ids.length);
            }
            System.arraycopy(tokens, 0, ids, n, tokens.length);
            Arrays.fill(trained, n, n + tokens.length, run.trained());
            n += tokens.length;
        }
        if (tokenizer.eosId().isPresent()) {
            ids[n] = tokenizer.eosId().get();
            trained[n++] = true;
        }
        return new TrainedSequence(Arrays.copyOf(ids, n), Arrays.copyOf(trained, n), bos);
    }

    /** The trained length of {@code example}: {@link #encode}'s length, counted without building the sequence. */
    public static int length(Example example, PromptTemplate template, TextTokenizer tokenizer) {
        int n = (tokenizer.bosId().isPresent() ? 1 : 0) + (tokenizer.eosId().isPresent() ? 1 : 0);
        for (Run run : runs(example, template)) {
            n += tokenizer.countText(run.text());
        }
        return n;
    }

    public int length() {
        return ids.length;
    }
}
