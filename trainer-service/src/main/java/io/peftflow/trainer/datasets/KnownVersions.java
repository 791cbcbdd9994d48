package io.peftflow.trainer.datasets;

import io.peftflow.events.dataset.DatasetVersionDeleted;
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
        DatasetVersionReady.HashObjects h = v.contentHashes();
        int rows = getEntityManager().createNativeQuery("""
                INSERT INTO dataset_version (tenant, dataset, version, format, train_uri, validation_uri, train_sha256,
                    validation_sha256, valid_examples, train_examples, validation_examples, created_at, received_at,
                    train_hashes_uri, train_hashes_sha256, validation_hashes_uri, validation_hashes_sha256)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, CAST(?14 AS text), CAST(?15 AS text),
                    CAST(?16 AS text), CAST(?17 AS text))
                ON CONFLICT DO NOTHING""")
                .setParameter(1, v.tenant()).setParameter(2, v.dataset()).setParameter(3, v.version())
                .setParameter(4, v.format()).setParameter(5, v.uris().train()).setParameter(6, v.uris().validation())
                .setParameter(7, v.sha256().train()).setParameter(8, v.sha256().validation())
                .setParameter(9, v.counts().valid()).setParameter(10, v.counts().train())
                .setParameter(11, v.counts().validation())
                .setParameter(12, v.createdAt() == null ? OffsetDateTime.now() : v.createdAt())
                .setParameter(13, OffsetDateTime.now())
                .setParameter(14, h == null ? null : h.trainUri())
                .setParameter(15, h == null ? null : h.trainSha256())
                .setParameter(16, h == null ? null : h.validationUri())
                .setParameter(17, h == null ? null : h.validationSha256())
                .executeUpdate();
        return rows == 1;
    }

    public Optional<KnownVersion> version(String tenant, String dataset, int version) {
        return find("tenant = ?1 and dataset = ?2 and version = ?3", tenant, dataset, version).firstResultOptional();
    }

    /** The newest version not deleted. */
    public Optional<KnownVersion> latest(String tenant, String dataset) {
        return find("tenant = ?1 and dataset = ?2 and deletedAt is null order by version desc", tenant, dataset)
                .firstResultOptional();
    }

    /**
     * Records a version's deletion (the first one's time; a redelivery changes nothing). A version never announced
     * here is recorded as deleted, so that a late announcement cannot bring it back.
     */
    public void markDeleted(DatasetVersionDeleted d) {
        OffsetDateTime at = d.deletedAt() == null ? OffsetDateTime.now() : d.deletedAt();
        getEntityManager().createNativeQuery("""
                INSERT INTO dataset_version (tenant, dataset, version, train_uri, validation_uri, train_sha256,
                    validation_sha256, valid_examples, train_examples, validation_examples, created_at, received_at,
                    deleted_at)
                VALUES (?1, ?2, ?3, '', '', '', '', 0, 0, 0, ?4, ?4, ?4)
                ON CONFLICT (tenant, dataset, version) DO UPDATE SET deleted_at = ?4
                WHERE dataset_version.deleted_at IS NULL""")
                .setParameter(1, d.tenant()).setParameter(2, d.dataset()).setParameter(3, d.version())
                .setParameter(4, at).executeUpdate();
    }

    /** The one wording of "deleted" for requests, queued jobs and workers. */
    public static String deleted(String dataset, int version) {
        return "dataset '" + dataset + "' version " + version + " was deleted";
    }

    public boolean anyVersion(String tenant, String dataset) {
        return count("tenant = ?1 and dataset = ?2", tenant, dataset) > 0;
    }
}
