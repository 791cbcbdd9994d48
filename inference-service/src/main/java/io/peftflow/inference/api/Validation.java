package io.peftflow.inference.api;

import io.peftflow.inference.registry.ModelStack;

/** Checks of request fields shared by the endpoints; each failure is a 400 naming its field. */
final class Validation {
    private Validation() {
    }

    static ModelStack model(String model) {
        try {
            return ModelStack.parse(model);
        } catch (IllegalArgumentException e) {
            throw FieldProblems.badRequest("model", e.getMessage());
        }
    }

    static String text(String field, String text, int maxChars) {
        if (text == null || text.isBlank()) {
            throw FieldProblems.badRequest(field, "must be non-empty text");
        }
        if (text.length() > maxChars) {
            throw FieldProblems.badRequest(field, text.length() + " characters, more than the " + maxChars + " allowed");
        }
        return text;
    }
}
