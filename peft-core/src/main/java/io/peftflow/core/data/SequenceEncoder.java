package io.peftflow.core.data;

import io.peftflow.core.PeftCoreException;
import io.peftflow.core.model.CausalLmLoss;
import io.peftflow.core.tokenizer.Tokenizer;
import io.peftflow.data.Example;
import io.peftflow.data.PromptTemplate;
import io.peftflow.data.TrainedSequence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Renders examples with a prompt template and tokenises them for causal-LM training as peft-data's
 * {@link TrainedSequence} defines (BOS, context and trained runs each tokenised on their own, EOS trained), the
 * length dataset-service validates. Labels are the trained tokens only, unless {@code trainOnPrompt}.
 * {@link #encodeClasses} encodes for sequence classification.
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
     * sees it ({@link #promptIds}, no labelled token) plus the index of its class ({@link Example#classLabel}) in
     * {@code labels}. The label list is fixed by the caller, so that train and validation data and a saved head
     * agree on what each index means. A class outside the list is an error naming the example. Over-long prompts
     * follow the policy; TRUNCATE keeps the head, as transformers' tokenizer truncation does.
     */
    public EncodedDataset encodeClasses(List<Example> examples, List<String> labels) {
        if (labels.size() < 2 || labels.stream().distinct().count() != labels.size()) {
            throw new PeftCoreException("a label list needs at least 2 distinct labels, got " + labels);
        }
        return encodeAll(examples, labels, (i, example) -> {
            String label = example.classLabel();
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
        return tokenizer.encodePrompt(templateFor(example).renderPrompt(example));
    }

    private Sequence encodeFull(int index, Example example) {
        if (tokenizer.eosId().isEmpty()) {
            throw new PeftCoreException("the tokenizer has no EOS token");
        }
        TrainedSequence sequence = TrainedSequence.encode(example, templateFor(example), tokenizer);
        long[] ids = sequence.ids();
        long[] labels = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            boolean bos = i == 0 && sequence.bos();
            labels[i] = sequence.trained()[i] || (trainOnPrompt && !bos) ? ids[i] : CausalLmLoss.IGNORE_INDEX;
        }
        return new Sequence(index, ids, labels);
    }
}
