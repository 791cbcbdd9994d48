package io.peftflow.trainer.queue;

/** A worker's hold on a job: valid while the row still names this worker and attempt and the lease is renewed. */
public record Lease(String jobId, String tenant, String workerId, int attempt) {
}
