package io.peftflow.trainer.jobs;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.OffsetDateTime;

/** A resumable checkpoint of a job stored in S3 (a directory of peft-core checkpoint files). */
@Entity
@Table(name = "job_checkpoint")
@IdClass(JobCheckpoint.Key.class)
public class JobCheckpoint extends PanacheEntityBase {
    @Id
    @Column(name = "job_id")
    public String jobId;

    @Id
    public int step;

    /** The S3 prefix of the checkpoint's files, as {@code s3://bucket/prefix/}. */
    public String uri;

    @Column(name = "train_loss")
    public Double trainLoss;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    public static class Key implements Serializable {
        public String jobId;
        public int step;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.step == step && java.util.Objects.equals(k.jobId, jobId);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(jobId, step);
        }
    }
}
