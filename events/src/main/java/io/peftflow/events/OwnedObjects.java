package io.peftflow.events;

/**
 * Whether an S3 URI an event names lies under the prefix its producer owns, e.g. a job's {@code <tenant>/<job>/} in the
 * checkpoints bucket or a dataset's {@code <tenant>/<dataset>/} in the datasets bucket. A consumer acts on an object
 * only when it does: an event naming another tenant's object is forged or broken, and is refused.
 */
public final class OwnedObjects {
    private OwnedObjects() {
    }

    /**
     * True when {@code uri} is {@code s3://<bucket>/<segments joined by '/'>/<rest>}, with a non-empty rest and no empty,
     * {@code .} or {@code ..} segment anywhere in the key (an S3 server on a file system could resolve them).
     */
    public static boolean under(String uri, String bucket, String... segments) {
        String prefix = "s3://" + bucket + "/" + String.join("/", segments) + "/";
        if (uri == null || !uri.startsWith(prefix) || uri.length() == prefix.length()) {
            return false;
        }
        for (String segment : segments) {
            if (segment == null || segment.isEmpty() || segment.contains("/")) {
                return false;
            }
        }
        String key = uri.substring(("s3://" + bucket + "/").length());
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.indexOf('\\') >= 0) {
                return false;
            }
        }
        return true;
    }
}
