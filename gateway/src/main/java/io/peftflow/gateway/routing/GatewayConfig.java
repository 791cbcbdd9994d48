package io.peftflow.gateway.routing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;

/** The public API's route table: {@code /v1/<prefix>/...} goes to {@code <upstream>/<prefix>/...}. */
@ConfigMapping(prefix = "peftflow.gateway")
public interface GatewayConfig {
    /** First path segment after {@code /v1} → base URL of the service that owns it. */
    Map<String, String> routes();

    @WithDefault("5s")
    Duration connectTimeout();

    /** Uploads and split downloads stream for a long time; only silence this long is an error. */
    @WithDefault("300s")
    Duration idleTimeout();
}
