package io.peftflow.registry.evaluation;

import io.peftflow.events.dataset.DatasetVersionDeleted;
import io.peftflow.events.dataset.DatasetVersionReady;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * The dataset versions dataset-service announced, as far as evaluation sets need them: where their content hashes
 * are and whether they were deleted. A deletion before the announcement is kept (a late announcement cannot revive it).
 */
@ApplicationScoped
public class DatasetVersions {
    private final EntityManager em;

    public DatasetVersions(EntityManager em) {
        this.em = em;
    }

    /** A known version: its splits' content-hash objects (null when announced without them) and its deletion. */
    public record Known(String dataset, int version, String trainHashesUri, String trainHashesSha256,
                        String validationHashesUri, String validationHashesSha256, OffsetDateTime deletedAt) {
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void ready(DatasetVersionReady v) {
        DatasetVersionReady.HashObjects h = v.contentHashes();
        em.createNativeQuery("""
                        INSERT INTO dataset_version (tenant, dataset, version, train_hashes_uri, train_hashes_sha256,
                            validation_hashes_uri, validation_hashes_sha256)
                        VALUES (?1, ?2, ?3, CAST(?4 AS text), CAST(?5 AS text), CAST(?6 AS text), CAST(?7 AS text))
                        ON CONFLICT DO NOTHING""")
                .setParameter(1, v.tenant()).setParameter(2, v.dataset()).setParameter(3, v.version())
                .setParameter(4, h == null ? null : h.trainUri())
                .setParameter(5, h == null ? null : h.trainSha256())
                .setParameter(6, h == null ? null : h.validationUri())
                .setParameter(7, h == null ? null : h.validationSha256()).executeUpdate();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void deleted(DatasetVersionDeleted d, OffsetDateTime at) {
        em.createNativeQuery("""
                        INSERT INTO dataset_version (tenant, dataset, version, deleted_at) VALUES (?1, ?2, ?3, ?4)
                        ON CONFLICT (tenant, dataset, version) DO UPDATE SET deleted_at = ?4
                        WHERE dataset_version.deleted_at IS NULL""")
                .setParameter(1, d.tenant()).setParameter(2, d.dataset()).setParameter(3, d.version())
                .setParameter(4, at).executeUpdate();
    }

    public Optional<Known> find(String tenant, String dataset, int version) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT train_hashes_uri, train_hashes_sha256, validation_hashes_uri, validation_hashes_sha256,
                               deleted_at
                        FROM dataset_version WHERE tenant = ?1 AND dataset = ?2 AND version = ?3""")
                .setParameter(1, tenant).setParameter(2, dataset).setParameter(3, version).getResultList();
        return rows.stream().findFirst().map(r -> new Known(dataset, version, (String) r[0], trim(r[1]),
                (String) r[2], trim(r[3]), r[4] == null ? null : toOffset(r[4])));
    }

    private static String trim(Object s) {
        return s == null ? null : s.toString().trim();
    }

    private static OffsetDateTime toOffset(Object t) {
        if (t instanceof OffsetDateTime o) {
            return o;
        }
        if (t instanceof java.time.Instant i) {
            return i.atOffset(java.time.ZoneOffset.UTC);
        }
        return ((java.sql.Timestamp) t).toInstant().atOffset(java.time.ZoneOffset.UTC);
    }
}
