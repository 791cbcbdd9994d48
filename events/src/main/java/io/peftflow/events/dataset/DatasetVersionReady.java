package io.peftflow.events.dataset;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/**
 * Payload of {@link io.peftflow.events.EventTypes#DATASET_VERSION_READY}: a dataset version whose raw upload,
 * splits and report are all stored. Everything a trainer needs to fetch and verify the splits.
 *
 * @param versionId     the version's database id
 * @param format        the example format of every line, e.g. {@code question_answer}
 * @param uris          S3 URIs by object: {@code raw}, {@code train}, {@code validation}, {@code report}
 * @param sha256        hex SHA-256 of the same objects
 * @param counts        line and example counts: {@code lines}, {@code valid}, {@code invalid}, {@code duplicates},
 *                      {@code nearDuplicates}, {@code train}, {@code validation}
 * @param labels        per label: {@code train} (after balancing) and {@code validation} counts; empty when unlabelled
 * @param classWeights  per label weight for the trainer's loss (strategy {@code class_weights}); else empty
 * @param lengthUnit    {@code tokens} (of {@code baseModel}'s tokenizer) or {@code characters}
 * @param lengths       {@code min}, {@code max}, {@code mean}, {@code p50}, {@code p95} example length
 */
public record DatasetVersionReady(
        String tenant,
        String dataset,
        int version,
        long versionId,
        String format,
        String balance,
        long seed,
        double validationFraction,
        String baseModel,
        Map<String, String> uris,
        Map<String, String> sha256,
        Map<String, Long> counts,
        Map<String, Map<String, Long>> labels,
        Map<String, Double> classWeights,
        String lengthUnit,
        Map<String, Double> lengths,
        OffsetDateTime createdAt) {

    /**
     * The CloudEvent id: a name-based UUID of tenant, dataset and version, so it is the same on every
     * redelivery and fits the outbox's id column whatever the name lengths.
     */
    public static String eventId(String tenant, String dataset, int version) {
        String name = "dataset-version-ready/" + tenant + "/" + dataset + "/v" + version;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
