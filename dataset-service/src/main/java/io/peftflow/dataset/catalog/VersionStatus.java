package io.peftflow.dataset.catalog;

import java.util.Locale;

/** Lifecycle of a version: only {@code ready} and {@code deleted} are ever visible through the API. */
public enum VersionStatus {
    /** Number taken, objects being stored. */
    PROCESSING,
    READY,
    /** Left processing by a crashed upload; its objects were deleted by {@code StaleUploadSweeper}. */
    FAILED,
    /** Soft-deleted: metadata kept, splits no longer served. */
    DELETED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
