package io.peftflow.dataset;

import io.peftflow.events.Topics;
import io.peftflow.kit.outbox.OutboxFaultsTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class DatasetOutboxFaultsTest extends OutboxFaultsTest {
    @Override
    protected String ownTopic() {
        return Topics.DATASET_VERSIONS;
    }
}
