package io.peftflow.events.contract;

/**
 * A payload record that checks the contract types of its fields: consumers call it after decoding, so a record
 * that breaks a rule is refused (dead-lettered with the message) before any work, the same way on every side.
 */
public interface Validated {
    /** Passes, or throws {@link InvalidValue} naming the payload field at fault. */
    void validate();

    /** A required identifier that is not a name (a job id, a request id): present, not blank, bounded. */
    static String id(String field, String value) {
        if (value == null || value.isBlank() || value.length() > 255) {
            throw new InvalidValue(field, field + " must be 1 to 255 characters, got " + InvalidValue.quote(value));
        }
        return value;
    }
}
