package io.peftflow.inference.batch;

import java.util.List;
import java.util.Map;

/**
 * A batch as stored ({@link BatchStore}): what was asked, where it stands, and which replica runs it until when.
 *
 * @param nextLine   the 0-based input line the next pass starts at: everything before it has its result lines
 * @param runner     the replica running it ({@link BatchRunner}'s id), null before one claims it
 * @param leaseUntil epoch milliseconds until which {@code runner} holds it; past it another replica may resume it
 */
public record Batch(String id, String tenant, String inputFileId, String endpoint, String completionWindow,
                    Map<String, String> metadata, BatchStatus status, Times times, Counts counts, long nextLine,
                    List<Failure> errors, String runner, long leaseUntil) {

    /** When each status was reached, epoch seconds (null: not reached). */
    public record Times(long createdAt, long expiresAt, Long inProgressAt, Long finalizingAt, Long completedAt,
                        Long failedAt, Long expiredAt, Long cancellingAt, Long cancelledAt) {
        Times at(BatchStatus status, long now) {
            return switch (status) {
                case IN_PROGRESS -> new Times(createdAt, expiresAt, now, finalizingAt, completedAt, failedAt, expiredAt, cancellingAt, cancelledAt);
                case FINALIZING -> new Times(createdAt, expiresAt, inProgressAt, now, completedAt, failedAt, expiredAt, cancellingAt, cancelledAt);
                case COMPLETED -> new Times(createdAt, expiresAt, inProgressAt, finalizingAt, now, failedAt, expiredAt, cancellingAt, cancelledAt);
                case FAILED -> new Times(createdAt, expiresAt, inProgressAt, finalizingAt, completedAt, now, expiredAt, cancellingAt, cancelledAt);
                case EXPIRED -> new Times(createdAt, expiresAt, inProgressAt, finalizingAt, completedAt, failedAt, now, cancellingAt, cancelledAt);
                case CANCELLING -> new Times(createdAt, expiresAt, inProgressAt, finalizingAt, completedAt, failedAt, expiredAt, now, cancelledAt);
                case CANCELLED -> new Times(createdAt, expiresAt, inProgressAt, finalizingAt, completedAt, failedAt, expiredAt, cancellingAt, now);
                case VALIDATING -> this;
            };
        }
    }

    /** OpenAI's {@code request_counts}: a request is an input line. */
    public record Counts(long total, long completed, long failed) {
    }

    /** Why a batch failed as a whole (OpenAI's {@code errors.data[]}); {@code line} and {@code param} when known. */
    public record Failure(String code, String message, String param, Long line) {
    }

    public static Batch created(String id, String tenant, String inputFileId, String endpoint, String completionWindow,
                                Map<String, String> metadata, long now, long windowSeconds) {
        return new Batch(id, tenant, inputFileId, endpoint, completionWindow, metadata, BatchStatus.VALIDATING,
                new Times(now, now + windowSeconds, null, null, null, null, null, null, null),
                new Counts(0, 0, 0), 0, List.of(), null, 0);
    }

    /** In {@code status} from {@code now} (epoch seconds); a move {@link BatchStatus} does not allow is a bug. */
    public Batch moveTo(BatchStatus next, long now) {
        if (!status.canMoveTo(next)) {
            throw new IllegalStateException("batch " + id + " cannot move from " + status + " to " + next);
        }
        return new Batch(id, tenant, inputFileId, endpoint, completionWindow, metadata, next, times.at(next, now), counts,
                nextLine, errors, runner, leaseUntil);
    }

    public Batch failed(Failure failure, long now) {
        Batch moved = moveTo(BatchStatus.FAILED, now);
        return new Batch(id, tenant, inputFileId, endpoint, completionWindow, metadata, moved.status, moved.times, counts,
                nextLine, List.of(failure), runner, leaseUntil);
    }

    /** Validated: {@code total} input lines, in progress. */
    public Batch started(long total, long now) {
        Batch moved = moveTo(BatchStatus.IN_PROGRESS, now);
        return new Batch(id, tenant, inputFileId, endpoint, completionWindow, metadata, moved.status, moved.times,
                new Counts(total, 0, 0), 0, errors, runner, leaseUntil);
    }

    /** {@code lines} more lines done, of which {@code completed} answered and {@code failed} did not. */
    public Batch progressed(int lines, int completed, int failed) {
        return new Batch(id, tenant, inputFileId, endpoint, completionWindow, metadata, status, times,
                new Counts(counts.total, counts.completed + completed, counts.failed + failed), nextLine + lines,
                errors, runner, leaseUntil);
    }

    public Batch leased(String runner, long until) {
        return new Batch(id, tenant, inputFileId, endpoint, completionWindow, metadata, status, times, counts, nextLine,
                errors, runner, until);
    }
}
