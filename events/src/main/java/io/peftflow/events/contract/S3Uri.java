package io.peftflow.events.contract;

import java.util.Arrays;
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

    /**
     * Whether {@code uri} names an object under the prefix its producer owns, {@code s3://<bucket>/<segments...>/<rest>}
     * (a job's {@code <tenant>/<job>/}, a dataset's {@code <tenant>/<dataset>/}), with no empty or {@code .} segment
     * either: a consumer acts on an object only when it does (SECURITY.md "Events are checked").
     */
    public static boolean under(String uri, String bucket, String... segments) {
        if (!valid(uri)) {
            return false;
        }
        S3Uri parsed = parse(uri);
        String prefix = String.join("/", segments) + "/";
        if (!parsed.bucket().equals(bucket) || !parsed.key().startsWith(prefix) || parsed.key().length() == prefix.length()
                || Arrays.stream(segments).anyMatch(s -> s == null || s.isEmpty() || s.contains("/"))) {
            return false;
        }
        return Arrays.stream(parsed.key().split("/", -1))
                .noneMatch(s -> s.isEmpty() || s.equals(".") || s.equals("..") || s.indexOf('\\') >= 0);
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
