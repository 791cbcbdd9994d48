package io.peftflow.events.adapter;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.peftflow.events.CloudEvent;
import io.peftflow.events.EventCodec;
import io.peftflow.events.EventIds;
import io.peftflow.events.EventTypes;
import io.peftflow.events.contract.Tenant;
import io.peftflow.events.contract.Validated;

import java.util.Map;

/**
 * The payloads of {@link io.peftflow.events.Topics#ADAPTER_EVENTS}: registry-service's facts about a tenant's adapter.
 * Every record of one adapter is keyed by {@link #key()}, so a consumer sees an adapter's versions and promotions in
 * order.
 */
public sealed interface AdapterEvent extends Validated
        permits AdapterVersionRegistered, AdapterPromoted, AdapterRegistrationFailed, AdapterVersionArchived {

    /** The payload record of each adapter event type. */
    Map<String, Class<? extends AdapterEvent>> TYPES = Map.of(
            EventTypes.ADAPTER_VERSION_REGISTERED, AdapterVersionRegistered.class,
            EventTypes.ADAPTER_PROMOTED, AdapterPromoted.class,
            EventTypes.ADAPTER_REGISTRATION_FAILED, AdapterRegistrationFailed.class,
            EventTypes.ADAPTER_VERSION_ARCHIVED, AdapterVersionArchived.class);

    String tenant();

    /**
     * The tenant only: a registration refused for its adapter name carries that name, so that the job that asked
     * for it still learns why.
     */
    @Override
    default void validate() {
        Tenant.check("tenant", tenant());
    }

    String adapter();

    /** The CloudEvents {@code type}, one of {@link EventTypes}' {@code ADAPTER_*}. */
    @JsonIgnore
    String type();

    /** What makes this fact unique within its adapter and type: a version number, an alias move. */
    @JsonIgnore
    String discriminator();

    @JsonIgnore
    default String key() {
        return tenant() + "/" + adapter();
    }

    @JsonIgnore
    default String subject() {
        return "adapters/" + tenant() + "/" + adapter();
    }

    /** The envelope, its id stable for the fact so redeliveries de-duplicate. */
    default CloudEvent toCloudEvent(String source) {
        return EventCodec.wrap(source, type(), subject(), this)
                .withId(EventIds.of(tenant(), adapter(), type(), discriminator()));
    }

    /** Reads an adapter envelope as its payload record; an unknown type is an {@link IllegalArgumentException}. */
    static AdapterEvent from(CloudEvent event) {
        Class<? extends AdapterEvent> type = TYPES.get(event.type());
        if (type == null) {
            throw new IllegalArgumentException("event " + event.id() + " has type " + event.type()
                    + ", not an adapter event");
        }
        return EventCodec.payload(event, type);
    }
}
