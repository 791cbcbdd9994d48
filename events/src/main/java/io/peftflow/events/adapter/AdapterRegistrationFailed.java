package io.peftflow.events.adapter;

import io.peftflow.events.EventTypes;

import java.time.OffsetDateTime;

/**
 * {@code adapter.registration-failed}: a succeeded job's adapter was not accepted; version {@code version} keeps the
 * number with status {@code failed_registration} and is never served.
 *
 * @param reason what did not fit, naming the file or tensor (a hash mismatch, a shape that does not fit the base)
 */
public record AdapterRegistrationFailed(String tenant, String adapter, int version, String jobId, String reason,
                                        OffsetDateTime failedAt) implements AdapterEvent {
    @Override
    public String type() {
        return EventTypes.ADAPTER_REGISTRATION_FAILED;
    }

    @Override
    public String discriminator() {
        return "v" + version;
    }
}
