package io.peftflow.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.UUID;

/**
 * A CloudEvents 1.0 envelope in structured JSON mode, the value of every peftflow Kafka record.
 * {@code id} is stable per fact (not per delivery), so consumers de-duplicate on it.
 *
 * @param type    reverse-DNS event type, one of {@link EventTypes}
 * @param source  the emitting service, e.g. {@code /dataset-service}
 * @param subject the aggregate the event is about, e.g. {@code datasets/acme/transactions/3}
 * @param data    the type's payload as JSON
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloudEvent(
        String specversion,
        String id,
        String source,
        String type,
        String subject,
        OffsetDateTime time,
        String datacontenttype,
        JsonNode data) {

    public static final String SPEC_VERSION = "1.0";

    public CloudEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
    }

    public static CloudEvent of(String source, String type, String subject, JsonNode data) {
        return new CloudEvent(SPEC_VERSION, UUID.randomUUID().toString(), source, type, subject,
                OffsetDateTime.now(), "application/json", data);
    }

    public CloudEvent withId(String stableId) {
        return new CloudEvent(specversion, stableId, source, type, subject, time, datacontenttype, data);
    }
}
