package io.peftflow.events.adapter;

import io.peftflow.events.EventTypes;

import java.time.OffsetDateTime;

/**
 * {@code adapter.promoted}: the {@code champion} alias moved, by the promotion policy or by hand (promote, rollback).
 *
 * @param move        the alias history entry of this move (unique per adapter)
 * @param fromVersion the previous champion; null for the first
 * @param metric      the policy metric compared, with both values (null for a manual move without metrics)
 */
public record AdapterPromoted(String tenant, String adapter, long move, Integer fromVersion, int toVersion,
                              String metric, Double fromValue, Double toValue, boolean manual, String reason,
                              OffsetDateTime promotedAt) implements AdapterEvent {
    @Override
    public String type() {
        return EventTypes.ADAPTER_PROMOTED;
    }

    @Override
    public String discriminator() {
        return "move-" + move;
    }
}
