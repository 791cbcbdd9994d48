package io.peftflow.kit.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

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
}
