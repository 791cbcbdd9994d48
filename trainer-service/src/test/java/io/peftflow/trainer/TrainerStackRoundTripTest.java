package io.peftflow.trainer;

import io.peftflow.events.Topics;
import io.peftflow.kit.StackRoundTripTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class TrainerStackRoundTripTest extends StackRoundTripTest {
    @Override
    protected String ownTopic() {
        return Topics.TRAINING_EVENTS;
    }
}
