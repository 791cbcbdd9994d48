package io.peftflow.events;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EventCodecTest {

    record Payload(String name, int version) {
    }

    @Test
    void roundTripsEnvelopeAndPayload() {
        CloudEvent event = EventCodec.wrap("/test", EventTypes.PING, "things/1", new Payload("x", 3)).withId("fixed");
        CloudEvent back = EventCodec.decode(EventCodec.encode(event));
        assertEquals("fixed", back.id());
        assertEquals(CloudEvent.SPEC_VERSION, back.specversion());
        assertEquals(new Payload("x", 3), EventCodec.payload(back, Payload.class));
    }

    @Test
    void rejectsEnvelopeWithoutId() {
        String json = EventCodec.encode(CloudEvent.of("/t", EventTypes.PING, null, null)).replace("\"id\"", "\"nid\"");
        assertThrows(IllegalArgumentException.class, () -> EventCodec.decode(json));
    }

    @Test
    void namesPayloadTypeWhenDataDoesNotFit() {
        CloudEvent event = EventCodec.wrap("/t", EventTypes.PING, null, Map.of("version", "three"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EventCodec.payload(event, Payload.class));
        assertEquals(true, e.getMessage().contains("Payload"));
    }
}
