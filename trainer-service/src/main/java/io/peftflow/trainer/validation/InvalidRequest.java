package io.peftflow.trainer.validation;

import io.peftflow.kit.problem.FieldError;
import java.util.List;

/**
 * A request that cannot become a job, with every field at fault. {@code notFound} marks a request that names
 * something that does not exist (a dataset version, a base model) rather than a malformed value.
 */
public class InvalidRequest extends RuntimeException {
    private final List<FieldError> errors;

    public InvalidRequest(List<FieldError> errors) {
        super(String.join("; ", errors.stream().map(FieldError::toString).toList()));
        this.errors = List.copyOf(errors);
    }

    public static InvalidRequest of(String field, String reason) {
        return new InvalidRequest(List.of(new FieldError(field, reason)));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
