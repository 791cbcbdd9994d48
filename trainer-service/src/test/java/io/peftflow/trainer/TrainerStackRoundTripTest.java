package io.peftflow.trainer;

import io.peftflow.kit.StackRoundTripTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class TrainerStackRoundTripTest extends StackRoundTripTest {
}
