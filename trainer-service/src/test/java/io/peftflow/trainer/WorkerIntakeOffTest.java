package io.peftflow.trainer;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The role alone decides whether a JVM consumes the intake topics (pure configuration logic, no Quarkus). */
class WorkerIntakeOffTest {
    private static SmallRyeConfig config(String role) {
        return new SmallRyeConfigBuilder().withInterceptors(new WorkerIntakeOff())
                .withSources(new PropertiesConfigSource(Map.of("peftflow.trainer.role", role,
                        "mp.messaging.incoming.training-requests.enabled", "true",
                        "mp.messaging.incoming.training-requests.topic", "peftflow.training-requests"), "test", 100))
                .build();
    }

    @Test
    void workerRoleDisablesEveryIncomingChannel() {
        SmallRyeConfig worker = config("worker");
        assertEquals(false, worker.getValue("mp.messaging.incoming.dataset-versions.enabled", Boolean.class));
        assertEquals(false, worker.getValue("mp.messaging.incoming.training-requests.enabled", Boolean.class));
        assertEquals("peftflow.training-requests", worker.getValue("mp.messaging.incoming.training-requests.topic",
                String.class));
    }

    @Test
    void apiAndBothRolesKeepTheirChannels() {
        for (String role : new String[] {"api", "both", "BOTH"}) {
            SmallRyeConfig c = config(role);
            assertTrue(c.getOptionalValue("mp.messaging.incoming.dataset-versions.enabled", Boolean.class).isEmpty());
            assertEquals(true, c.getValue("mp.messaging.incoming.training-requests.enabled", Boolean.class));
        }
    }
}
