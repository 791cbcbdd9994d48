package io.peftflow.dataset.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.peftflow.dataset.batch.BatchInputFiles;
import io.peftflow.dataset.catalog.DatasetRepository;
import io.peftflow.dataset.catalog.DatasetVersion;
import io.peftflow.dataset.catalog.VersionReads;
import io.peftflow.dataset.storage.DatasetObjects;
import io.peftflow.dataset.validation.LineError;
import io.peftflow.events.contract.FileId;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** The JSON bodies of the API. */
final class Views {
    private Views() {
    }

    record DatasetView(String name, int latestVersion, long versions, double validationFraction, OffsetDateTime createdAt) {
        static DatasetView of(DatasetRepository.Listing listing) {
            return new DatasetView(listing.dataset().name, listing.latestVersion(), listing.versions(),
                    listing.dataset().validationFraction, listing.dataset().createdAt);
        }
    }

    /**
     * A dataset with its newest version; its versions are listed, page by page, at {@code .../versions} (a
     * dataset may have thousands, too many to send on every read).
     */
    record DatasetDetail(String name, double validationFraction, OffsetDateTime createdAt, long versionCount,
                         VersionView latestVersion) {
        static DatasetDetail of(VersionReads.Latest latest, DatasetObjects objects) {
            var dataset = latest.version().dataset;
            return new DatasetDetail(dataset.name, dataset.validationFraction, dataset.createdAt, latest.count(),
                    VersionView.of(latest.version(), objects, null));
        }
    }

    /**
     * A dataset version as OpenAI's File object ({@code /files}), snake_case as OpenAI spells it; {@code filename} is
     * the dataset's name with the upload's extension (the dataset is named after the uploaded file).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record FileView(String object, String id, long bytes, long createdAt, String filename, String purpose,
                    String status, Long expiresAt) {
        static FileView of(DatasetVersion v) {
            String raw = v.keys().rawObject();
            return new FileView("file", new FileId.DatasetVersion(v.dataset.name, v.version).value(),
                    v.rawBytes == null ? 0 : v.rawBytes, v.createdAt.toEpochSecond(),
                    v.dataset.name + raw.substring(raw.indexOf('.')), FileResource.PURPOSE, "processed", null);
        }

        static FileView of(BatchInputFiles.Stored file) {
            return new FileView("file", file.id().value(), file.bytes(), file.createdAt(), file.filename(),
                    FileResource.BATCH_PURPOSE, "processed", null);
        }
    }

    /** OpenAI's answer to a file's deletion. */
    record DeletedFile(String id, String object, boolean deleted) {
    }

    /**
     * @param droppedLines only in an upload's answer: the first lines dropped with {@code on_invalid=drop}
     */
    record VersionView(String dataset, int version, String status, String format, String balance, long seed,
                       String baseModel, long rawBytes, long lines, long invalidLines, long trainExamples,
                       long validationExamples, Map<String, String> sha256, Map<String, String> uris,
                       Map<String, Object> summary, OffsetDateTime createdAt, OffsetDateTime readyAt,
                       OffsetDateTime deletedAt, List<LineError> droppedLines) {

        static VersionView of(DatasetVersion v, DatasetObjects objects, List<LineError> droppedLines) {
            return new VersionView(v.dataset.name, v.version, v.status.wireName(), v.format, v.balance, v.seed,
                    v.baseModel, v.rawBytes, v.lines, v.invalidLines, v.trainExamples, v.validationExamples,
                    v.sha256(), objects.uris(v.keys()), v.summary, v.createdAt, v.readyAt, v.deletedAt, droppedLines);
        }
    }
}
