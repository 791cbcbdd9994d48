package io.peftflow.events.training;

/**
 * The examples a set of numbers was measured on: one split of one dataset version, identified by its content.
 *
 * @param split    {@code validation}
 * @param sha256   hex SHA-256 of the split file as stored
 * @param examples how many examples were scored
 */
public record EvaluationSet(String dataset, int version, String split, String sha256, int examples) {
    public static final String VALIDATION = "validation";
}
