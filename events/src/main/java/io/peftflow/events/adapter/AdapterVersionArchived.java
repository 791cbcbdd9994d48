package io.peftflow.events.adapter;

import io.peftflow.events.EventTypes;

import java.time.OffsetDateTime;

/**
 * {@code adapter.version-archived}: version {@code version} was archived through the API; its files are no longer
 * served, and no new job may load it ({@code init_from}, {@code stack_on}).
 */
public record AdapterVersionArchived(String tenant, String adapter, int version, OffsetDateTime archivedAt)
        implements AdapterEvent {
    @Override
    public String type() {
        return EventTypes.ADAPTER_VERSION_ARCHIVED;
    }

    @Override
    public String discriminator() {
        return "v" + version;
    }
}
