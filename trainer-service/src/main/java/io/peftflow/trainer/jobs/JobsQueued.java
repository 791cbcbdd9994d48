package io.peftflow.trainer.jobs;

/** CDI event fired in the transaction that queued a job: a worker in this JVM wakes up once it commits. */
public record JobsQueued() {
}
