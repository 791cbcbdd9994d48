package io.peftflow.dataset;

import io.peftflow.kit.StackRoundTripTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class DatasetStackRoundTripTest extends StackRoundTripTest {
}
