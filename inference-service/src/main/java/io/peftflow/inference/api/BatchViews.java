package io.peftflow.inference.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.peftflow.events.contract.FileId;
import io.peftflow.inference.batch.Batch;
import io.peftflow.inference.batch.BatchService;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/** The Batch API's bodies in OpenAI's shapes (snake_case; absent times are null, as OpenAI sends them). */
final class BatchViews {
    private BatchViews() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record BatchView(String id, String object, String endpoint, Errors errors, String inputFileId,
                     String completionWindow, String status, String outputFileId, String errorFileId, long createdAt,
                     Long inProgressAt, long expiresAt, Long finalizingAt, Long completedAt, Long failedAt,
                     Long expiredAt, Long cancellingAt, Long cancelledAt, Batch.Counts requestCounts,
                     Map<String, String> metadata) {
        static BatchView of(Batch b) {
            Batch.Times t = b.times();
            return new BatchView(b.id(), "batch", b.endpoint(), b.errors().isEmpty() ? null : new Errors("list", b.errors()),
                    b.inputFileId(), b.completionWindow(), b.status().wireName(),
                    file(b, FileId.BatchResult.Kind.OUTPUT), file(b, FileId.BatchResult.Kind.ERRORS), t.createdAt(),
                    t.inProgressAt(), t.expiresAt(), t.finalizingAt(), t.completedAt(), t.failedAt(), t.expiredAt(),
                    t.cancellingAt(), t.cancelledAt(), b.counts(), b.metadata());
        }

        private static String file(Batch b, FileId.BatchResult.Kind kind) {
            return BatchService.hasFile(b, kind) ? new FileId.BatchResult(b.id(), kind).value() : null;
        }
    }

    record Errors(String object, List<Batch.Failure> data) {
    }

    /** A result file as OpenAI's File object; purpose {@code batch_output}, as OpenAI names both result files. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record FileView(String id, String object, long bytes, long createdAt, String filename, String purpose,
                    String status) {
        static FileView of(BatchService.ResultFile file) {
            Batch.Times t = file.batch().times();
            long finished = Stream.of(t.completedAt(), t.cancelledAt(), t.expiredAt(), t.failedAt())
                    .filter(Objects::nonNull).findFirst().orElse(t.createdAt());
            return new FileView(file.id().value(), "file", file.bytes(), finished, filename(file), "batch_output",
                    "processed");
        }

        static String filename(BatchService.ResultFile file) {
            return file.batch().id() + "_" + file.id().kind().wireName() + ".jsonl";
        }
    }
}
