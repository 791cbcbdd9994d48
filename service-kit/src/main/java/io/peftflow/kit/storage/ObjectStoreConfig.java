package io.peftflow.kit.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;

/** Where the S3-compatible store is (MinIO in production, s3proxy in the local stack). */
@ConfigMapping(prefix = "peftflow.s3")
public interface ObjectStoreConfig {
    String endpoint();

    String accessKey();

    String secretKey();

    @WithDefault("us-east-1")
    String region();

    /** Buckets this service owns: created at start-up and covered by the readiness check. */
    List<String> buckets();

    /**
     * How long {@link ObjectStore#retrying} retries an operation that failed transiently (the store unreachable, a
     * timeout, a 5xx or SlowDown) before giving up; the waits start at {@code retry-initial-backoff} and double up to
     * {@code retry-max-backoff}.
     */
    @WithDefault("2m")
    Duration retryFor();

    @WithDefault("500ms")
    Duration retryInitialBackoff();

    @WithDefault("10s")
    Duration retryMaxBackoff();
}
