package io.peftflow.registry;

import io.peftflow.events.Topics;
import io.peftflow.kit.StackRoundTripTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class RegistryStackRoundTripTest extends StackRoundTripTest {
    @Override
    protected String ownTopic() {
        return Topics.ADAPTER_EVENTS;
    }
}
