package io.peftflow.events.dataset;

import io.peftflow.events.EventIds;
import io.peftflow.events.contract.InvalidValue;
import io.peftflow.events.contract.ResourceName;
import io.peftflow.events.contract.S3Uri;
import io.peftflow.events.contract.Tenant;
import io.peftflow.events.contract.Validated;

import java.time.OffsetDateTime;
import java.util.Map;

/**
 * Payload of {@link io.peftflow.events.EventTypes#DATASET_VERSION_READY}: a dataset version whose raw upload,
 * splits and report are all stored. Everything a trainer needs to fetch and verify the splits.
 *
 * @param versionId     the version's database id
 * @param format        the example format of every line, e.g. {@code question_answer}
 * @param uris          S3 URIs of the stored objects
 * @param sha256        hex SHA-256 of the same objects
 * @param labels        per label: train (after balancing) and validation counts; empty when unlabelled
 * @param classWeights  per label weight for the trainer's loss (strategy {@code class_weights}); else empty
 * @param lengthUnit    {@code tokens} (of {@code baseModel}'s tokenizer) or {@code characters}
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
        VersionObjects uris,
        VersionObjects sha256,
        VersionCounts counts,
        Map<String, LabelCounts> labels,
        Map<String, Double> classWeights,
        String lengthUnit,
        Lengths lengths,
        OffsetDateTime createdAt) implements Validated {

    /** One value per stored object of a version (its URI, or its SHA-256). */
    public record VersionObjects(String raw, String train, String validation, String report) {
    }

    /** A label's examples in the train split (after balancing) and in the validation split. */
    public record LabelCounts(long train, long validation) {
    }

    /** Example length statistics in {@code lengthUnit}. */
    public record Lengths(double min, double max, double mean, double p50, double p95) {
    }

    /** Whose, which, and where its splits are: everything a trainer fetches and verifies. */
    @Override
    public void validate() {
        Tenant.check("tenant", tenant);
        ResourceName.check("dataset", dataset);
        if (version < 1) {
            throw new InvalidValue("version", "version must be >= 1, got " + version);
        }
        if (uris == null || sha256 == null || counts == null) {
            throw new InvalidValue(uris == null ? "uris" : sha256 == null ? "sha256" : "counts",
                    "dataset version " + tenant + "/" + dataset + " v" + version + ": its announcement lacks uris, sha256 or counts");
        }
        S3Uri.parse("uris.train", uris.train());
        S3Uri.parse("uris.validation", uris.validation());
    }

    /** The CloudEvent id: the same for every redelivery of this version's announcement. */
    public static String eventId(String tenant, String dataset, int version) {
        return EventIds.of("dataset-version-ready", tenant, dataset, "v" + version);
    }
}
