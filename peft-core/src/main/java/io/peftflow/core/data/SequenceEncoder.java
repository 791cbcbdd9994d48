package io.peftflow.core.data;

import io.peftflow.core.PeftCoreException;
import io.peftflow.core.model.CausalLmLoss;
import io.peftflow.core.tokenizer.Tokenizer;
import io.peftflow.data.Example;
import io.peftflow.data.PromptTemplate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Renders examples with a prompt template and tokenises them for causal-LM training: BOS, then each run of
 * context or trained text encoded on its own (so the context is tokenised exactly as
 * {@link PromptTemplate#renderPrompt} is at generation time), then EOS as a trained token. Labels are the
 * trained tokens only, unless {@code trainOnPrompt}. {@link #encodeClasses} encodes for sequence classification.
 *
 * @param template null for each example's format default
 * @param maxLength the most tokens a sequence may have (the context, minus any virtual tokens)
 */
public record SequenceEncoder(Tokenizer tokenizer, PromptTemplate template, int maxLength, OverLongPolicy overLong,
                              boolean trainOnPrompt) {

    public SequenceEncoder {
        if (maxLength < 2) {
            throw new PeftCoreException("max length must be at least 2 tokens, got " + maxLength);
        }
    }

    /** The template used for {@code example}. */
    public PromptTemplate templateFor(Example example) {
        return template != null ? template : PromptTemplate.defaultFor(example.format());
    }

    /** Encodes all examples for causal-LM training; an empty input or an empty result is an error. */
    public EncodedDataset encode(List<Example> examples) {
        return encodeAll(examples, List.of(), this::encodeFull);
    }

    /**
     * Encodes examples for sequence classification (PEFT's {@code SEQ_CLS}): each becomes its prompt as generation
     * sees it ({@link #promptIds}, no labelled token) plus the index of its class ({@link #classOf}) in
     * {@code labels}. The label list is fixed by the caller, so that train and validation data and a saved head
     * agree on what each index means. A class outside the list is an error naming the example. Over-long prompts
     * follow the policy; TRUNCATE keeps the head, as transformers' tokenizer truncation does.
     */
    public EncodedDataset encodeClasses(List<Example> examples, List<String> labels) {
        if (labels.size() < 2 || labels.stream().distinct().count() != labels.size()) {
            throw new PeftCoreException("a label list needs at least 2 distinct labels, got " + labels);
        }
        return encodeAll(examples, labels, (i, example) -> {
            String label = classOf(example);
            int index = labels.indexOf(label);
            if (index < 0) {
                throw new PeftCoreException("example " + i + " has label '" + label + "', which is not in the label"
                        + " list " + labels);
            }
            long[] ids = promptIds(example);
            long[] none = new long[ids.length];
            Arrays.fill(none, CausalLmLoss.IGNORE_INDEX);
            return new Sequence(i, ids, none, index);
        });
    }

    /**
     * An example's class: its {@code label} field when it has one, else its response (a classifier-style
     * completion such as {@code " dining"}), trimmed either way.
     */
    public static String classOf(Example example) {
        return (example.label() != null ? example.label() : example.response()).trim();
    }

    private EncodedDataset encodeAll(List<Example> examples, List<String> classLabels,
                                     BiFunction<Integer, Example, Sequence> encodeOne) {
        if (examples.isEmpty()) {
            throw new PeftCoreException("the dataset is empty: no examples to train or evaluate on");
        }
        List<Sequence> out = new ArrayList<>(examples.size());
        int truncated = 0;
        int skipped = 0;
        for (int i = 0; i < examples.size(); i++) {
            Sequence s = encodeOne.apply(i, examples.get(i));
            if (s.length() > maxLength) {
                switch (overLong) {
                    case FAIL -> throw new PeftCoreException("example " + i + " has " + s.length()
                            + " tokens, more than the " + maxLength + " that fit the context (policy FAIL;"
                            + " use TRUNCATE or SKIP)");
                    case SKIP -> {
                        skipped++;
                        continue;
                    }
                    case TRUNCATE -> {
                        truncated++;
                        s = new Sequence(i, Arrays.copyOf(s.ids(), maxLength), Arrays.copyOf(s.labels(), maxLength),
                                s.classIndex());
                        if (!s.hasClass() && s.lossTokens(0) == 0) {
                            skipped++;
                            continue;
                        }
                    }
                }
            }
            out.add(s);
        }
        if (out.isEmpty()) {
            throw new PeftCoreException("the dataset is empty after encoding: all " + examples.size()
                    + " examples were longer than " + maxLength + " tokens (" + skipped + " skipped)");
        }
        return new EncodedDataset(out, examples.size(), truncated, skipped, classLabels);
    }

    /** BOS and the rendered prompt up to the final response: what generation starts from. */
    public long[] promptIds(Example example) {
        long[] tokens = tokenizer.encode(templateFor(example).renderPrompt(example), false);
        if (tokenizer.bosId().isEmpty()) {
            return tokens;
        }
        long[] out = new long[tokens.length + 1];
        out[0] = tokenizer.bosId().get();
        System.arraycopy(tokens, 0, out, 1, tokens.length);
        return out;
    }

    private Sequence encodeFull(int index, Example example) {
        List<PromptTemplate.Segment> segments = templateFor(example).render(example);
        long[] ids = new long[64];
        long[] labels = new long[64];
        int n = 0;
        if (tokenizer.bosId().isPresent()) {
            ids[n] = tokenizer.bosId().get();
            labels[n++] = CausalLmLoss.IGNORE_INDEX;
        }
        int i = 0;
        while (i < segments.size()) {
            boolean trained = segments.get(i).trained();
            StringBuilder run = new StringBuilder();
            for (; i < segments.size() && segments.get(i).trained() == trained; i++) {
                run.append(segments.get(i).text());
            }
            long[] tokens = tokenizer.encode(run.toString(), false);
            if (n + tokens.length + 1 > ids.length) {
                ids = Arrays.copyOf(ids, 2 * (n + tokens.length + 1));
                labels = Arrays.copyOf(labels, ids.length);
            }
            for (long t : tokens) {
                ids[n] = t;
                labels[n++] = trained || trainOnPrompt ? t : CausalLmLoss.IGNORE_INDEX;
            }
        }
        long eos = tokenizer.eosId().orElseThrow(() -> new PeftCoreException("the tokenizer has no EOS token"));
        ids[n] = eos;
        labels[n++] = eos;
        return new Sequence(index, Arrays.copyOf(ids, n), Arrays.copyOf(labels, n));
    }
}
