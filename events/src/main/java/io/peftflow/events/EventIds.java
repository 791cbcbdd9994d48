package io.peftflow.events;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Stable CloudEvent ids: a name-based UUID of the fact's parts, so a redelivered or re-emitted fact keeps its id
 * (consumers de-duplicate on it) and fits the outbox's id column whatever the names' lengths.
 */
public final class EventIds {
    private EventIds() {
    }

    public static String of(String... parts) {
        return UUID.nameUUIDFromBytes(String.join("/", parts).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
