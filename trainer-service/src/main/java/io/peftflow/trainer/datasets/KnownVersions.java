package io.peftflow.trainer.datasets;

import io.peftflow.events.dataset.DatasetVersionReady;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * The dataset versions this service has heard of on {@code peftflow.dataset-versions}: requests are validated
 * against them without a call to dataset-service.
 */
@ApplicationScoped
public class KnownVersions implements PanacheRepositoryBase<KnownVersion, KnownVersion.Key> {

    /** Records an announced version; false when it was known already (a redelivery). */
    public boolean recordIfNew(DatasetVersionReady v) {
        int rows = getEntityManager().createNativeQuery("""
                INSERT INTO dataset_version (tenant, dataset, version, format, train_uri, validation_uri, train_sha256,
                    validation_sha256, valid_examples, train_examples, validation_examples, created_at, received_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
                ON CONFLICT DO NOTHING""")
                .setParameter(1, v.tenant()).setParameter(2, v.dataset()).setParameter(3, v.version())
                .setParameter(4, v.format()).setParameter(5, v.uris().train()).setParameter(6, v.uris().validation())
                .setParameter(7, v.sha256().train()).setParameter(8, v.sha256().validation())
                .setParameter(9, v.counts().valid()).setParameter(10, v.counts().train())
                .setParameter(11, v.counts().validation())
                .setParameter(12, v.createdAt() == null ? OffsetDateTime.now() : v.createdAt())
                .setParameter(13, OffsetDateTime.now())
                .executeUpdate();
        return rows == 1;
    }

    public Optional<KnownVersion> version(String tenant, String dataset, int version) {
        return find("tenant = ?1 and dataset = ?2 and version = ?3", tenant, dataset, version).firstResultOptional();
    }

    public Optional<KnownVersion> latest(String tenant, String dataset) {
        return find("tenant = ?1 and dataset = ?2 order by version desc", tenant, dataset).firstResultOptional();
    }

    public boolean anyVersion(String tenant, String dataset) {
        return count("tenant = ?1 and dataset = ?2", tenant, dataset) > 0;
    }
}
