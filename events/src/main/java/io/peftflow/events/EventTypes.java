package io.peftflow.events;

/** CloudEvents {@code type} values. Each names the payload record that its {@code data} holds. */
public final class EventTypes {
    private static final String PREFIX = "io.peftflow.";

    /** An outbox round trip with no business meaning: readiness and smoke tests. */
    public static final String PING = PREFIX + "ping.v1";

    /** A dataset version is stored and visible: {@link io.peftflow.events.dataset.DatasetVersionReady}. */
    public static final String DATASET_VERSION_READY = PREFIX + "dataset.version-ready.v1";

    private EventTypes() {
    }
}
