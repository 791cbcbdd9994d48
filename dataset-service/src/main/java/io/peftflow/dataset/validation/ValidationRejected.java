package io.peftflow.dataset.validation;

import java.util.List;

/** The upload as a whole is refused (422): bad lines in reject mode, too few examples, labels missing for balancing. */
public class ValidationRejected extends Exception {
    private final transient List<LineError> errors;

    public ValidationRejected(String detail, List<LineError> errors) {
        super(detail, null, false, false);
        this.errors = List.copyOf(errors);
    }

    public List<LineError> errors() {
        return errors;
    }
}
