package io.peftflow.registry.catalog;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** A key/value label on a version (e.g. {@code reviewed=yes}), filterable in listings. */
@Entity
@Table(name = "version_tag")
public class VersionTag extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "version_id", nullable = false)
    public Long versionId;

    @Column(nullable = false)
    public String key;

    @Column(nullable = false)
    public String value;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;
}
