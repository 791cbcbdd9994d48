package io.peftflow.registry.catalog;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class VersionRepository implements PanacheRepositoryBase<AdapterVersion, Long> {
    /** What the API lists: a version whose files are still being copied does not exist yet. */
    public static final List<VersionStatus> VISIBLE = List.of(VersionStatus.READY, VersionStatus.FAILED_REGISTRATION,
            VersionStatus.ARCHIVED);

    public Optional<AdapterVersion> findByJob(String tenant, String jobId) {
        return find("tenant = ?1 and jobId = ?2", tenant, jobId).firstResultOptional();
    }

    public Optional<AdapterVersion> findVisible(Adapter adapter, int version) {
        return find("adapter = ?1 and version = ?2 and status in ?3", adapter, version, VISIBLE).firstResultOptional();
    }

    /** A page of visible versions after {@code afterVersion}, ascending. */
    public List<AdapterVersion> page(Adapter adapter, int afterVersion, int limit) {
        return find("adapter = ?1 and version > ?2 and status in ?3 order by version", adapter, afterVersion, VISIBLE)
                .page(0, limit).list();
    }

    /** Marks the versions trained on a dataset version that was deleted; how many this call marked. */
    public int markTrainedOnDeleted(String tenant, String dataset, int datasetVersion, OffsetDateTime at) {
        return update("datasetDeletedAt = ?1 where tenant = ?2 and datasetName = ?3 and datasetVersion = ?4"
                + " and datasetDeletedAt is null", at, tenant, dataset, datasetVersion);
    }

    /** The ready (or registering) versions of the tenant stacked on {@code adapter} v{@code version}. */
    public List<VersionLineage.Layer> stackedOn(String tenant, String adapter, int version) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = getEntityManager().createNativeQuery("""
                SELECT a.name, v.version FROM version_lineage l JOIN adapter_version v ON v.id = l.version_id
                JOIN adapter a ON a.id = v.adapter_id
                WHERE v.tenant = ?1 AND v.status IN ('READY', 'REGISTERING') AND l.stacked_on @> CAST(?2 AS jsonb)
                ORDER BY a.name, v.version""").setParameter(1, tenant)
                .setParameter(2, "[{\"adapter\": \"" + adapter + "\", \"version\": " + version + "}]")
                .getResultList();
        return rows.stream().map(r -> new VersionLineage.Layer((String) r[0], ((Number) r[1]).intValue())).toList();
    }

    /** The latest ready version: the headline of an adapter without a champion. */
    public Optional<AdapterVersion> latestReady(Adapter adapter) {
        return find("adapter = ?1 and status = ?2 order by version desc", adapter, VersionStatus.READY)
                .firstResultOptional();
    }
}
