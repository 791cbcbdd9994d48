package io.peftflow.trainer;

import io.peftflow.kit.outbox.OutboxRetentionTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class TrainerOutboxRetentionTest extends OutboxRetentionTest {
}
