package io.peftflow.dataset.catalog;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class DatasetRepository implements PanacheRepositoryBase<Dataset, Long> {

    public Optional<Dataset> findByName(String tenant, String name) {
        return find("tenant = ?1 and name = ?2", tenant, name).firstResultOptional();
    }

    /**
     * The dataset row, created with the given split settings if it does not exist, locked until the end of the
     * transaction: concurrent uploads to one name take their version numbers one after the other. The insert
     * tolerates a concurrent creator (ON CONFLICT), so two first uploads never fail on the unique name.
     */
    public Dataset lockOrCreate(String tenant, String name, long splitSeed, double validationFraction) {
        getEntityManager().createNativeQuery("""
                        INSERT INTO dataset (tenant, name, split_seed, validation_fraction, created_at)
                        VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (tenant, name) DO NOTHING""")
                .setParameter(1, tenant).setParameter(2, name).setParameter(3, splitSeed)
                .setParameter(4, validationFraction).setParameter(5, OffsetDateTime.now())
                .executeUpdate();
        return find("tenant = ?1 and name = ?2", tenant, name).withLock(LockModeType.PESSIMISTIC_WRITE).singleResult();
    }

    /**
     * Counts a version that became ready (deleted versions stay visible, so nothing counts down). An atomic update:
     * concurrent uploads make versions ready outside the dataset row's lock.
     */
    public void countReady(Dataset dataset) {
        update("visibleVersions = visibleVersions + 1 where id = ?1", dataset.id);
    }

    /** A dataset with its visible version count and latest version number. */
    public record Listing(Dataset dataset, int latestVersion, long versions) {
    }

    /** Up to {@code limit} of the tenant's datasets that have a visible version, by name, after {@code afterName}. */
    public List<Listing> listVisible(String tenant, String afterName, int limit) {
        return getEntityManager().createQuery("""
                        select new io.peftflow.dataset.catalog.DatasetRepository$Listing(d, max(v.version), count(v))
                        from DatasetVersion v join v.dataset d
                        where d.tenant = ?1 and v.status in ?2 and d.name > ?3
                        group by d order by d.name""", Listing.class)
                .setParameter(1, tenant).setParameter(2, VersionRepository.VISIBLE)
                .setParameter(3, afterName == null ? "" : afterName).setMaxResults(limit)
                .getResultList();
    }
}
