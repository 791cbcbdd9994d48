package io.peftflow.core.evaluation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.model.CausalLmLoss;
import io.peftflow.core.training.data.Batch;
import io.peftflow.core.training.data.EncodedDataset;
import io.peftflow.core.training.data.Sequence;
import io.peftflow.core.training.data.SequenceEncoder;
import io.peftflow.core.tuners.PeftModel;
import io.peftflow.data.Example;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Evaluates whatever adapters are active on a {@link PeftModel} (none: the base model), so the base and the tuned
 * model are measured by the same code on the same split. Dropout must be off ({@code model.train(false)}).
 */
public final class Evaluator {
    private Evaluator() {
    }

    /** Eval loss, perplexity and token accuracy over {@code data}, in batches sorted by length. */
    public static LossMetrics loss(PeftModel model, EncodedDataset data, int batchSize, long padId) {
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
     * Generates greedily from each example's prompt (as {@code encoder} renders it) and compares the decoded answer
     * with the example's response, both trimmed.
     */
    public static ExactMatch exactMatch(PeftModel model, SequenceEncoder encoder, List<Example> examples,
                                        int maxNewTokens, int batchSize) {
        if (examples.isEmpty()) {
            throw new PeftCoreException("no examples to evaluate");
        }
        List<Long> stop = encoder.tokenizer().stopIds();
        Map<String, int[]> perLabel = new TreeMap<>();
        int correct = 0;
        for (int from = 0; from < examples.size(); from += batchSize) {
            List<Example> chunk = examples.subList(from, Math.min(examples.size(), from + batchSize));
            List<long[]> prompts = chunk.stream().map(encoder::promptIds).toList();
            List<long[]> answers = model.generator().generate(prompts, maxNewTokens, stop);
            for (int i = 0; i < chunk.size(); i++) {
                String expected = chunk.get(i).response().trim();
                boolean hit = encoder.tokenizer().decode(answers.get(i)).trim().equals(expected);
                int[] c = perLabel.computeIfAbsent(expected, k -> new int[2]);
                c[0] += hit ? 1 : 0;
                c[1]++;
                correct += hit ? 1 : 0;
            }
        }
        return new ExactMatch(correct, examples.size(), perLabel);
    }
}
