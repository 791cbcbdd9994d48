package io.peftflow.dataset;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.util.Optional;

/** dataset-service's own settings: buckets, limits and defaults of an upload. */
@ConfigMapping(prefix = "peftflow.dataset")
public interface DatasetConfig {
    /** Bucket of the versioned dataset objects. */
    @WithDefault("peftflow-datasets")
    String bucket();

    /** Bucket holding {@code <base_model>/tokenizer.json} for token counting. */
    @WithDefault("peftflow-models")
    String modelsBucket();

    /** Largest accepted upload as sent (compressed if gzip): 413 above. */
    @WithDefault("10G")
    MemorySize maxUploadBytes();

    /** Longest accepted line: longer lines are rejected lines. */
    @WithDefault("1M")
    MemorySize maxLineBytes();

    @WithDefault("16")
    int maxNestingDepth();

    /** A gzip upload may expand at most this many times its compressed size (bomb guard)... */
    @WithDefault("100")
    int maxDecompressionRatio();

    /** ...and to at most this many bytes in all. */
    @WithDefault("50G")
    MemorySize maxDecompressedBytes();

    @WithDefault("10")
    int minExamples();

    @WithDefault("1000")
    int warnExamples();

    /** Line errors in a 422's {@code errors}; the stored report has all. */
    @WithDefault("20")
    int responseErrors();

    @WithDefault("1000")
    int maxLabels();

    /** Without a {@code label} field, responses are labels when there are at most this many distinct ones. */
    @WithDefault("20")
    int labelSetMax();

    @WithDefault("64")
    int maxLabelLength();

    /** Majority / minority train count at which the report warns of imbalance (9 = 90/10). */
    @WithDefault("9")
    double imbalanceRatio();

    @WithDefault("10")
    int maxOversampleFactor();

    /** Duplicate line numbers listed per kind in the report. */
    @WithDefault("100")
    int listedLines();

    @WithDefault("0.1")
    double defaultValidationFraction();

    /** A Batch API input file ({@code purpose=batch}): its size (413 above), lines and line length (400 above). */
    @WithDefault("100M")
    MemorySize batchMaxBytes();

    @WithDefault("50000")
    long batchMaxLines();

    @WithDefault("64K")
    MemorySize batchMaxLineBytes();

    /** Where uploads are spooled and processed; the JVM's temp directory by default. */
    Optional<Path> workDir();
}
