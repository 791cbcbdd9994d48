package io.peftflow.core.evaluation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.scoring.LabelScorer;
import io.peftflow.core.scoring.LabelSet;
import io.peftflow.core.model.CausalLmLoss;
import io.peftflow.core.data.Batch;
import io.peftflow.core.data.EncodedDataset;
import io.peftflow.core.data.Sequence;
import io.peftflow.core.data.SequenceEncoder;
import io.peftflow.core.tuners.ClassificationHead;
import io.peftflow.core.tuners.PeftModel;
import io.peftflow.data.Example;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Evaluates whatever adapters are active on a {@link PeftModel} (none: the base model), so the base and the tuned
 * model are measured by the same code on the same split. Dropout must be off ({@code model.train(false)}).
 */
public final class Evaluator {
    private Evaluator() {
    }

    /**
     * Eval loss, perplexity and token accuracy over {@code data}, in batches sorted by length. For class-labelled
     * data, {@link #classification}'s loss and accuracy (over sequences), as the trainer's evaluations report them.
     */
    public static LossMetrics loss(PeftModel model, EncodedDataset data, int batchSize, long padId) {
        if (headFor(model, data).isPresent()) {
            return classification(model, data, batchSize, padId).asLossMetrics();
        }
        List<Sequence> sorted = new ArrayList<>(data.sequences());
        sorted.sort(Comparator.comparingInt(Sequence::length));
        double sum = 0;
        long count = 0;
        long correct = 0;
        int p = model.virtualTokens();
        for (int from = 0; from < sorted.size(); from += batchSize) {
            try (NDManager scope = model.base().manager().newSubManager()) {
                Batch batch = Batch.collate(sorted.subList(from, Math.min(sorted.size(), from + batchSize)), padId,
                        scope);
                NDArray logits = model.forward(batch.args());
                if (p > 0) {
                    logits = logits.get(":, " + p + ":, :");
                }
                CausalLmLoss.Result r = CausalLmLoss.compute(logits, batch.labels());
                sum += r.sum().getFloat();
                count += r.count();
                long t = logits.getShape().get(1);
                NDArray predicted = logits.get(":, :" + (t - 1) + ", :").argMax(-1).toType(DataType.INT64, false);
                correct += predicted.eq(batch.labels().get(":, 1:")).sum().getLong();
            }
        }
        double loss = sum / Math.max(1, count);
        return new LossMetrics(loss, Math.exp(loss), (double) correct / Math.max(1, count), count);
    }

    /**
     * Cross-entropy and argmax accuracy of the active {@link ClassificationHead} on class-labelled data. Before
     * training, a new head is at chance: that is the base model's score for sequence classification.
     */
    public static ClassificationMetrics classification(PeftModel model, EncodedDataset data, int batchSize,
                                                       long padId) {
        ClassificationHead head = headFor(model, data).orElseThrow(() -> new PeftCoreException(
                "classification metrics need class-labelled data (SequenceEncoder.encodeClasses)"));
        List<Sequence> sorted = new ArrayList<>(data.sequences());
        sorted.sort(Comparator.comparingInt(Sequence::length));
        Map<String, int[]> perLabel = new TreeMap<>();
        double sum = 0;
        int correct = 0;
        for (int from = 0; from < sorted.size(); from += batchSize) {
            List<Sequence> chunk = sorted.subList(from, Math.min(sorted.size(), from + batchSize));
            try (NDManager scope = model.base().manager().newSubManager()) {
                Batch batch = Batch.collate(chunk, padId, scope);
                NDArray logits = head.logits(model, batch.args());
                sum += ClassificationHead.crossEntropySum(logits, Sequence.classIndices(chunk, scope)).getFloat();
                long[] predicted = logits.argMax(-1).toType(DataType.INT64, false).toLongArray();
                for (int i = 0; i < chunk.size(); i++) {
                    boolean hit = predicted[i] == chunk.get(i).classIndex();
                    int[] c = perLabel.computeIfAbsent(data.classLabels().get(chunk.get(i).classIndex()),
                            k -> new int[2]);
                    c[0] += hit ? 1 : 0;
                    c[1]++;
                    correct += hit ? 1 : 0;
                }
            }
        }
        return new ClassificationMetrics(sum / sorted.size(), correct, sorted.size(), perLabel);
    }

    /**
     * The classification head the loss on {@code data} goes through: the active one for class-labelled data, none
     * for causal-LM data. A mismatch (no active head or several, a head with fewer labels than the data, a head
     * active on causal-LM data, whose weight no loss would reach) is an error that says what to change.
     */
    public static Optional<ClassificationHead> headFor(PeftModel model, EncodedDataset data) {
        List<ClassificationHead> heads = model.activeAdapters().stream().map(model::adapter)
                .filter(ClassificationHead.class::isInstance).map(ClassificationHead.class::cast).toList();
        if (!data.isClassification()) {
            if (!heads.isEmpty()) {
                throw new PeftCoreException("classification head '" + heads.get(0).name() + "' is active but the"
                        + " data has no class labels: encode it with SequenceEncoder.encodeClasses, or disable the"
                        + " head to train or evaluate the language-model loss");
            }
            return Optional.empty();
        }
        if (heads.size() != 1) {
            throw new PeftCoreException("class-labelled data needs exactly one active classification head, got "
                    + heads.stream().map(ClassificationHead::name).toList() + "; add one with new"
                    + " ClassificationHeadConfig(" + data.classLabels().size() + ")");
        }
        ClassificationHead head = heads.get(0);
        if (head.config().numLabels() < data.classLabels().size()) {
            throw new PeftCoreException("classification head '" + head.name() + "' has " + head.config().numLabels()
                    + " labels but the data has " + data.classLabels().size() + ": " + data.classLabels());
        }
        return Optional.of(head);
    }

    /**
     * Generates greedily from each example's prompt (as {@code encoder} renders it) and compares the decoded answer
     * with the example's reference answer ({@link ExactMatch#answer}), both trimmed.
     */
    public static ExactMatch exactMatch(PeftModel model, SequenceEncoder encoder, List<Example> examples,
                                        int maxNewTokens, int batchSize) {
        return ExactMatch.score(examples, predictions(model, encoder, examples, maxNewTokens, batchSize));
    }

    /**
     * The greedy answer to each example's prompt, decoded, in the examples' order: what {@link #exactMatch} scores,
     * for callers that need each example's outcome (a paired comparison of two models on the same examples).
     */
    public static List<String> predictions(PeftModel model, SequenceEncoder encoder, List<Example> examples,
                                           int maxNewTokens, int batchSize) {
        if (examples.isEmpty()) {
            throw new PeftCoreException("no examples to evaluate");
        }
        List<Long> stop = encoder.tokenizer().stopIds();
        List<String> predicted = new ArrayList<>(examples.size());
        for (int from = 0; from < examples.size(); from += batchSize) {
            List<Example> chunk = examples.subList(from, Math.min(examples.size(), from + batchSize));
            List<long[]> prompts = chunk.stream().map(encoder::promptIds).toList();
            for (long[] answer : model.generator().generate(prompts, maxNewTokens, stop)) {
                predicted.add(encoder.tokenizer().decode(answer));
            }
        }
        return predicted;
    }

    /**
     * Share of {@code examples} whose label {@link LabelScorer} ranks first among {@code labels}' labels, each prompt as
     * {@code encoder} renders it for generation: the accuracy of a classifier that can only answer a trained label.
     */
    public static double labelAccuracy(PeftModel model, SequenceEncoder encoder, LabelSet labels,
                                       List<Example> examples) {
        if (examples.isEmpty()) {
            throw new PeftCoreException("no examples to evaluate");
        }
        LabelScorer scorer = new LabelScorer(model, labels.continuations(encoder.tokenizer()));
        double[][] scores = scorer.logLikelihoods(examples.stream().map(encoder::promptIds).toList());
        int correct = 0;
        for (int i = 0; i < examples.size(); i++) {
            correct += labels.labels().get(LabelScorer.best(scores[i])).equals(examples.get(i).classLabel()) ? 1 : 0;
        }
        return (double) correct / examples.size();
    }

    /** Enough new tokens for the longest reference answer of {@code examples} and the end token, at most 256. */
    public static int answerTokens(SequenceEncoder encoder, List<Example> examples) {
        int longest = examples.stream().mapToInt(e -> encoder.tokenizer().encode(ExactMatch.answer(e), false).length)
                .max().orElse(0);
        return Math.min(256, longest + 2);
    }
}
