package io.peftflow.registry.catalog;

import java.util.Locale;

/** Lifecycle of a version. Only {@code ready} versions are served; every status but registering is listed. */
public enum VersionStatus {
    /** Number taken, files being copied into place. */
    REGISTERING,
    READY,
    /** Its files did not match their hashes or do not fit the base model: kept with the reason, never served. */
    FAILED_REGISTRATION,
    /** Deleted through the API: metadata kept, files no longer served. */
    ARCHIVED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
