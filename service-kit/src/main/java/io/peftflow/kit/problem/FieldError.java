package io.peftflow.kit.problem;

/** What is wrong with one field of a request, named as the request spells it ({@code training.learning_rate}). */
public record FieldError(String field, String reason) {
    @Override
    public String toString() {
        return field + ": " + reason;
    }
}
