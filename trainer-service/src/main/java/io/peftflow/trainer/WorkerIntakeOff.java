package io.peftflow.trainer;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;

import java.util.Locale;

/**
 * A JVM in the {@code worker} role takes no part in the Kafka intake: every incoming channel reads as disabled. A
 * worker pod (one per job under a ScaledJob) that joined the intake's consumer group would rebalance it each time it
 * starts and exits, pausing the intake of the api pods. Registered in
 * {@code META-INF/services/io.smallrye.config.ConfigSourceInterceptor}, so one setting, the role, decides it.
 */
public class WorkerIntakeOff implements ConfigSourceInterceptor {
    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        if (name.startsWith("mp.messaging.incoming.") && name.endsWith(".enabled")) {
            ConfigValue role = context.proceed("peftflow.trainer.role");
            if (role != null && role.getValue() != null
                    && TrainerConfig.Role.WORKER.name().equals(role.getValue().trim().toUpperCase(Locale.ROOT))) {
                return ConfigValue.builder().withName(name).withValue("false").build();
            }
        }
        return context.proceed(name);
    }
}
