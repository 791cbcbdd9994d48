package io.peftflow.core.evaluation;

import io.peftflow.data.Example;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Greedy-generation exact match against the reference answers ({@link #answer}), with its per-answer breakdown;
 * {@link #majority} is the same measure for always giving the split's most frequent answer, the baseline a
 * classifier has to beat.
 *
 * @param perLabel reference answer -> {correct, total}, to see the tail classes of imbalanced data
 */
public record ExactMatch(int correct, int total, Map<String, int[]> perLabel) {
    public double accuracy() {
        return total == 0 ? 0 : (double) correct / total;
    }

    /** Mean of the per-label accuracies (every class counts the same, whatever its share). */
    public double macroAccuracy() {
        return perLabel.values().stream().mapToDouble(c -> (double) c[0] / c[1]).average().orElse(0);
    }

    /** The reference answer exact match compares with: the example's response, whitespace-trimmed. */
    public static String answer(Example example) {
        return example.response().trim();
    }

    /** Whether {@code predicted} (trimmed) is {@code example}'s reference answer. */
    public static boolean hit(Example example, String predicted) {
        return predicted.trim().equals(answer(example));
    }

    /** Scores {@code predicted} answers (trimmed) against {@code examples}' references, in order. */
    public static ExactMatch score(List<Example> examples, List<String> predicted) {
        Map<String, int[]> perLabel = new TreeMap<>();
        int correct = 0;
        for (int i = 0; i < examples.size(); i++) {
            String expected = answer(examples.get(i));
            boolean hit = hit(examples.get(i), predicted.get(i));
            int[] c = perLabel.computeIfAbsent(expected, k -> new int[2]);
            c[0] += hit ? 1 : 0;
            c[1]++;
            correct += hit ? 1 : 0;
        }
        return new ExactMatch(correct, examples.size(), perLabel);
    }

    /**
     * The majority-class baseline: always answering the most frequent answer of {@code examples} themselves (ties:
     * the first in sort order), the best any constant answer scores there. Taken from the evaluated split rather than
     * the training split, so an oversampled (balanced) training split cannot lower the bar. Its accuracy is that
     * answer's share; its macro accuracy is 1/k for the k answers present.
     */
    public static Majority majority(List<Example> examples) {
        String top = examples.stream().collect(Collectors.groupingBy(ExactMatch::answer, TreeMap::new,
                        Collectors.counting())).entrySet().stream()
                .max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey(
                        Comparator.reverseOrder())))
                .map(Map.Entry::getKey).orElse("");
        return new Majority(top, score(examples, examples.stream().map(e -> top).toList()));
    }

    /** The majority-class baseline: the answer it always gives and how that scores. */
    public record Majority(String answer, ExactMatch exactMatch) {
        public double accuracy() {
            return exactMatch.accuracy();
        }

        public double macroAccuracy() {
            return exactMatch.macroAccuracy();
        }

        /** How many distinct answers the scored examples have (k). */
        public int answers() {
            return exactMatch.perLabel().size();
        }
    }
}
