package io.peftflow.trainer.policies;

import io.peftflow.trainer.jobs.Recipe;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.Objects;

/** Retrain a dataset's adapter on each new version: the recipe, how much new data it takes, and a debounce. */
@Entity
@Table(name = "retraining_policy")
@IdClass(RetrainingPolicy.Key.class)
public class RetrainingPolicy extends PanacheEntityBase {
    @Id
    public String tenant;

    @Id
    public String dataset;

    @Embedded
    public Recipe recipe;

    /** A version with fewer valid examples more than the last trained one queues nothing. */
    @Column(name = "min_new_examples")
    public long minNewExamples;

    /** A job waits this long before a worker may take it; a newer version arriving meanwhile replaces it. */
    @Column(name = "debounce_seconds")
    public int debounceSeconds;

    @Column(name = "last_version")
    public Integer lastVersion;

    @Column(name = "last_valid_examples")
    public Long lastValidExamples;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    public static class Key implements Serializable {
        public String tenant;
        public String dataset;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(k.tenant, tenant) && Objects.equals(k.dataset, dataset);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tenant, dataset);
        }
    }
}
