package io.peftflow.dataset;

import io.peftflow.kit.outbox.OutboxFaultsTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class DatasetOutboxFaultsTest extends OutboxFaultsTest {
}
