package io.peftflow.events.contract;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The name of a tenant's dataset, adapter or alias: a lower-case DNS label, so it is safe in S3 keys, URLs, Kafka
 * keys, database rows and Kubernetes object names. The same rule on every side: a name trainer-service accepts is a
 * name registry-service registers.
 */
public record ResourceName(String value) {
    public static final int MAX_LENGTH = 63;
    public static final Pattern PATTERN = Pattern.compile("[a-z0-9][a-z0-9-]{0," + (MAX_LENGTH - 1) + "}");

    public ResourceName {
        check("name", value);
    }

    public static boolean valid(String value) {
        return value != null && PATTERN.matcher(value).matches();
    }

    /** {@code value}, or an {@link InvalidValue} naming {@code field}. */
    public static String check(String field, String value) {
        if (!valid(value)) {
            throw new InvalidValue(field, message(field, value));
        }
        return value;
    }

    /** The one error message of this rule. */
    public static String message(String field, String value) {
        return field + " must be 1 to " + MAX_LENGTH + " lower-case letters, digits or '-', starting with a letter or "
                + "digit (" + PATTERN.pattern() + "), got " + InvalidValue.quote(value);
    }

    /**
     * A name made of parts joined by {@code -}: lower-cased, every other character ({@code _}, {@code .}) a {@code -},
     * cut to {@link #MAX_LENGTH}; valid whenever the first part starts with a letter or digit. How default names are
     * built: {@code transactions} + {@code seq_bn} gives {@code transactions-seq-bn}.
     */
    public static String derive(String... parts) {
        String joined = String.join("-", parts).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("-+", "-");
        String cut = joined.length() > MAX_LENGTH ? joined.substring(0, MAX_LENGTH) : joined;
        return cut.replaceAll("-+$", "");
    }

    @Override
    public String toString() {
        return value;
    }
}
