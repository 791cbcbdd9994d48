package io.peftflow.trainer.datasets;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.Objects;

/** A dataset version as dataset-service announced it: where its splits are and what they hash to. */
@Entity
@Table(name = "dataset_version")
@IdClass(KnownVersion.Key.class)
public class KnownVersion extends PanacheEntityBase {
    @Id
    public String tenant;

    @Id
    public String dataset;

    @Id
    public int version;

    public String format;

    @Column(name = "train_uri")
    public String trainUri;

    @Column(name = "validation_uri")
    public String validationUri;

    @Column(name = "train_sha256")
    public String trainSha256;

    @Column(name = "validation_sha256")
    public String validationSha256;

    @Column(name = "valid_examples")
    public long validExamples;

    @Column(name = "train_examples")
    public long trainExamples;

    @Column(name = "validation_examples")
    public long validationExamples;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "received_at")
    public OffsetDateTime receivedAt;

    /** The splits' sorted content hashes (events' ContentHashes); null for versions announced without them. */
    @Column(name = "train_hashes_uri")
    public String trainHashesUri;

    @Column(name = "train_hashes_sha256")
    public String trainHashesSha256;

    @Column(name = "validation_hashes_uri")
    public String validationHashesUri;

    @Column(name = "validation_hashes_sha256")
    public String validationHashesSha256;

    /** When dataset-service announced its deletion: no new job trains on it, queued ones failed. */
    @Column(name = "deleted_at")
    public OffsetDateTime deletedAt;

    public static class Key implements Serializable {
        public String tenant;
        public String dataset;
        public int version;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.version == version && Objects.equals(k.tenant, tenant)
                    && Objects.equals(k.dataset, dataset);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tenant, dataset, version);
        }
    }
}
