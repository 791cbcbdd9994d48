package io.peftflow.events.contract;

import java.util.regex.Pattern;

/**
 * An object (or prefix) in S3 as events carry it, {@code s3://bucket/key}: one parser on every side. The bucket
 * follows S3's naming rule; the key is not empty and has no {@code ..} segment.
 */
public record S3Uri(String bucket, String key) {
    public static final String SCHEME = "s3://";
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    public S3Uri {
        if (bucket == null || !BUCKET.matcher(bucket).matches() || key == null || key.isEmpty()
                || key.startsWith("/") || ("/" + key + "/").contains("/../")) {
            throw new InvalidValue("uri", message("uri", SCHEME + bucket + "/" + key));
        }
    }

    /** {@code uri} as its bucket and key, or an {@link InvalidValue} naming {@code field}. */
    public static S3Uri parse(String field, String uri) {
        int slash = uri == null || !uri.startsWith(SCHEME) ? -1 : uri.indexOf('/', SCHEME.length());
        if (slash < 0) {
            throw new InvalidValue(field, message(field, uri));
        }
        try {
            return new S3Uri(uri.substring(SCHEME.length(), slash), uri.substring(slash + 1));
        } catch (InvalidValue e) {
            throw new InvalidValue(field, message(field, uri));
        }
    }

    public static S3Uri parse(String uri) {
        return parse("uri", uri);
    }

    public static boolean valid(String uri) {
        try {
            parse(uri);
            return true;
        } catch (InvalidValue e) {
            return false;
        }
    }

    public static String message(String field, String uri) {
        return field + " must be an s3://bucket/key URI (a valid bucket name, a non-empty key without '..'), got "
                + InvalidValue.quote(uri);
    }

    @Override
    public String toString() {
        return SCHEME + bucket + "/" + key;
    }
}
