package io.peftflow.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** JSON (de)serialisation of envelopes and payloads, identical in every service. */
public final class EventCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private EventCodec() {
    }

    public static String encode(CloudEvent event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode event " + event.id(), e);
        }
    }

    public static CloudEvent decode(String json) {
        try {
            return MAPPER.readValue(json, CloudEvent.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a CloudEvent: " + e.getOriginalMessage(), e);
        }
    }

    /** Builds an envelope whose data is {@code payload} as JSON. */
    public static CloudEvent wrap(String source, String type, String subject, Object payload) {
        return CloudEvent.of(source, type, subject, MAPPER.valueToTree(payload));
    }

    /** Reads an envelope's data as the payload record its type names. */
    public static <T> T payload(CloudEvent event, Class<T> type) {
        try {
            return MAPPER.treeToValue(event.data(), type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event " + event.id() + " of type " + event.type()
                    + " has no valid " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }
}
