package io.peftflow.registry;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.util.Optional;

/** registry-service's own settings. */
@ConfigMapping(prefix = "peftflow.registry")
public interface RegistryConfig {
    /** Bucket of the registered versions, {@code <tenant>/<adapter>/v<N>/<file>}. */
    @WithDefault("peftflow-adapters")
    String bucket();

    /** Bucket holding {@code <base model>/config.json}, which adapters are checked against. */
    @WithDefault("peftflow-models")
    String modelsBucket();

    /**
     * The trainer's bucket: a job's files are registered only from its own {@code <tenant>/<job>/} there (an event
     * naming any other object is forged and refused).
     */
    @WithDefault("peftflow-checkpoints")
    String checkpointsBucket();

    /** Where incoming files are staged for hashing and checking; the JVM's temp directory by default. */
    Optional<Path> workDir();

    /** Page size of listings without {@code limit}. */
    @WithDefault("50")
    int defaultPageSize();

    @WithDefault("500")
    int maxPageSize();
}
