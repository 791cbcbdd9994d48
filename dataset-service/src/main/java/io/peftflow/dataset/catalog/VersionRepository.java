package io.peftflow.dataset.catalog;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class VersionRepository implements PanacheRepositoryBase<DatasetVersion, Long> {
    /** What the API shows: a version still being stored does not exist yet. */
    public static final List<VersionStatus> VISIBLE = List.of(VersionStatus.READY, VersionStatus.DELETED);

    /** A page of the visible versions, oldest first, each with its dataset (one query: no lazy load per row). */
    public List<DatasetVersion> listVisible(String tenant, String name, int offset, int limit) {
        return getEntityManager().createQuery("""
                        select v from DatasetVersion v join fetch v.dataset d
                        where d.tenant = ?1 and d.name = ?2 and v.status in ?3 order by v.version""", DatasetVersion.class)
                .setParameter(1, tenant).setParameter(2, name).setParameter(3, VISIBLE)
                .setFirstResult(offset).setMaxResults(limit).getResultList();
    }

    /** One visible version with its dataset, in one query. */
    public Optional<DatasetVersion> findVisible(String tenant, String name, int version) {
        return getEntityManager().createQuery("""
                        select v from DatasetVersion v join fetch v.dataset d
                        where d.tenant = ?1 and d.name = ?2 and v.version = ?3 and v.status in ?4""", DatasetVersion.class)
                .setParameter(1, tenant).setParameter(2, name).setParameter(3, version).setParameter(4, VISIBLE)
                .getResultStream().findFirst();
    }

    /** The newest visible version with its dataset and how many visible versions there are. */
    public record Latest(DatasetVersion version, long count) {
    }

    /** {@link Latest} in one query (the count is a subquery), whatever the number of versions. */
    public Optional<Latest> latestVisible(String tenant, String name) {
        return getEntityManager().createQuery("""
                        select v, (select count(*) from DatasetVersion c where c.dataset = d and c.status in ?3)
                        from DatasetVersion v join fetch v.dataset d
                        where d.tenant = ?1 and d.name = ?2 and v.status in ?3 order by v.version desc""", Object[].class)
                .setParameter(1, tenant).setParameter(2, name).setParameter(3, VISIBLE).setMaxResults(1)
                .getResultStream().findFirst()
                .map(row -> new Latest((DatasetVersion) row[0], ((Number) row[1]).longValue()));
    }

    /** The next number for the locked dataset, counting invisible rows too (their objects use the number). */
    public int nextVersion(Dataset dataset) {
        Integer max = getEntityManager()
                .createQuery("select max(v.version) from DatasetVersion v where v.dataset = ?1", Integer.class)
                .setParameter(1, dataset).getSingleResult();
        return max == null ? 1 : max + 1;
    }

    /** Versions left PROCESSING since before {@code cutoff}: uploads whose service died while storing. */
    public List<DatasetVersion> staleProcessing(OffsetDateTime cutoff) {
        return list("status = ?1 and createdAt < ?2", VersionStatus.PROCESSING, cutoff);
    }
}
