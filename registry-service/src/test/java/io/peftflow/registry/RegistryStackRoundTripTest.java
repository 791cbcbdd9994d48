package io.peftflow.registry;

import io.peftflow.kit.StackRoundTripTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class RegistryStackRoundTripTest extends StackRoundTripTest {
}
