package io.peftflow.dataset.catalog;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** A tenant's named dataset: the parent of its versions and the holder of their shared split settings. */
@Entity
@Table(name = "dataset")
public class Dataset extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String tenant;

    @Column(nullable = false)
    public String name;

    @Column(name = "split_seed", nullable = false)
    public long splitSeed;

    @Column(name = "validation_fraction", nullable = false)
    public double validationFraction;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    /** Versions the API shows (ready or deleted), counted up by {@link DatasetRepository#countReady}. */
    @Column(name = "visible_versions", nullable = false)
    public int visibleVersions;
}
