package io.peftflow.dataset;

import io.peftflow.events.Topics;
import io.peftflow.kit.StackRoundTripTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class DatasetStackRoundTripTest extends StackRoundTripTest {
    @Override
    protected String ownTopic() {
        return Topics.DATASET_VERSIONS;
    }
}
