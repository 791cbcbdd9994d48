package io.peftflow.registry.catalog;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** One move of an alias, by the promotion policy or through the API; {@code toVersion} null means deleted. */
@Entity
@Table(name = "alias_move")
public class AliasMove extends PanacheEntityBase {
    public static final String POLICY = "policy";
    public static final String API = "api";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "adapter_id", nullable = false)
    public Long adapterId;

    @Column(nullable = false)
    public String alias;

    @Column(name = "from_version")
    public Integer fromVersion;

    @Column(name = "to_version")
    public Integer toVersion;

    @Column(nullable = false)
    public String actor;

    @Column(columnDefinition = "text")
    public String reason;

    @Column(name = "moved_at", nullable = false)
    public OffsetDateTime movedAt;
}
