package io.peftflow.core.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import io.peftflow.core.PeftCoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A checkpoint directory in Hugging Face layout: {@code config.json}, weights ({@link WeightStore}),
 * {@code tokenizer.json}, and optionally {@code tokenizer_config.json} and {@code generation_config.json}.
 * Opening reads only the JSON files; weights are opened on {@link #weights()}.
 */
public final class Checkpoint implements AutoCloseable {
    public static final String CONFIG = "config.json";
    public static final String TOKENIZER = "tokenizer.json";
    public static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    public static final String GENERATION_CONFIG = "generation_config.json";

    private final Path dir;
    private final JsonNode config;
    private final JsonNode tokenizerConfig;
    private final JsonNode generationConfig;
    private WeightStore weights;

    private Checkpoint(Path dir, JsonNode config, JsonNode tokenizerConfig, JsonNode generationConfig) {
        this.dir = dir;
        this.config = config;
        this.tokenizerConfig = tokenizerConfig;
        this.generationConfig = generationConfig;
    }

    public static Checkpoint open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new PeftCoreException("checkpoint directory not found", dir, null);
        }
        return new Checkpoint(dir, Json.read(dir.resolve(CONFIG)), Json.readOptional(dir.resolve(TOKENIZER_CONFIG)),
                Json.readOptional(dir.resolve(GENERATION_CONFIG)));
    }

    public Path dir() {
        return dir;
    }

    public Path configPath() {
        return dir.resolve(CONFIG);
    }

    public JsonNode config() {
        return config;
    }

    public Optional<JsonNode> tokenizerConfig() {
        return Optional.ofNullable(tokenizerConfig);
    }

    public Optional<JsonNode> generationConfig() {
        return Optional.ofNullable(generationConfig);
    }

    /** The {@code tokenizer.json} path, if the checkpoint has one. */
    public Optional<Path> tokenizerJson() {
        Path p = dir.resolve(TOKENIZER);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    public synchronized WeightStore weights() {
        if (weights == null) {
            weights = WeightStore.open(dir);
        }
        return weights;
    }

    @Override
    public synchronized void close() {
        if (weights != null) {
            weights.close();
            weights = null;
        }
    }
}
