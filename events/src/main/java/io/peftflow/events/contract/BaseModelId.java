package io.peftflow.events.contract;

import java.util.regex.Pattern;

/**
 * A base model as Hugging Face spells model ids, {@code name} or {@code org/name}: the directory
 * {@code s3://<models bucket>/<id>/} holding its checkpoint. No path tricks ({@code ..}), so it is a safe key prefix.
 */
public record BaseModelId(String value) {
    public static final int MAX_SEGMENT = 96;
    public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_SEGMENT - 1) + "}"
            + "(/[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_SEGMENT - 1) + "})?");

    public BaseModelId {
        check("model", value);
    }

    public static boolean valid(String value) {
        return value != null && PATTERN.matcher(value).matches() && !value.contains("..");
    }

    public static String check(String field, String value) {
        if (!valid(value)) {
            throw new InvalidValue(field, message(field, value));
        }
        return value;
    }

    public static String message(String field, String value) {
        return field + " must be a model id, name or org/name, each part 1 to " + MAX_SEGMENT + " letters, digits, "
                + "'.', '_' or '-' starting with a letter or digit, without '..'; got " + InvalidValue.quote(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
