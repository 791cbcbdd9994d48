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

    /** One visible version with its dataset, managed: for changes (the API reads through {@link VersionReads}). */
    public Optional<DatasetVersion> findVisible(String tenant, String name, int version) {
        return getEntityManager().createQuery("""
                        select v from DatasetVersion v join fetch v.dataset d
                        where d.tenant = ?1 and d.name = ?2 and v.version = ?3 and v.status in ?4""", DatasetVersion.class)
                .setParameter(1, tenant).setParameter(2, name).setParameter(3, version).setParameter(4, VISIBLE)
                .getResultStream().findFirst();
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
