package io.peftflow.events.contract;

/**
 * A value that breaks its contract type's rule, with the field it came in (a request field such as
 * {@code adapter_name}, a header, an event's payload field). Services turn it into a 4xx naming {@link #field()};
 * event intakes into a dead letter with {@link #getMessage()} as the reason.
 */
public class InvalidValue extends IllegalArgumentException {
    private final String field;

    public InvalidValue(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }

    static String quote(String value) {
        if (value == null) {
            return "nothing";
        }
        return "'" + (value.length() > 70 ? value.substring(0, 70) + "…" : value) + "'";
    }
}
