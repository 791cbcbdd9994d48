package io.peftflow.registry.catalog;

import io.peftflow.registry.promotion.PromotionPolicy;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.OffsetDateTime;
import java.util.Optional;

@ApplicationScoped
public class AdapterRepository implements PanacheRepositoryBase<Adapter, Long> {

    public Optional<Adapter> findByName(String tenant, String name) {
        return find("tenant = ?1 and name = ?2", tenant, name).firstResultOptional();
    }

    /**
     * The adapter row, created with the default policy if absent, locked until the end of the transaction: concurrent
     * registrations of one adapter take their numbers one after the other. The insert tolerates a concurrent creator.
     */
    public Adapter lockOrCreate(String tenant, String name) {
        PromotionPolicy p = PromotionPolicy.DEFAULT;
        getEntityManager().createNativeQuery("""
                        INSERT INTO adapter (tenant, name, policy_metric, policy_direction, policy_min_improvement,
                                             policy_must_beat_majority, created_at)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (tenant, name) DO NOTHING""")
                .setParameter(1, tenant).setParameter(2, name).setParameter(3, p.metric().wireName())
                .setParameter(4, p.direction().wireName()).setParameter(5, p.minImprovement())
                .setParameter(6, p.mustBeatMajority()).setParameter(7, OffsetDateTime.now())
                .executeUpdate();
        return lock(tenant, name).orElseThrow();
    }

    public Optional<Adapter> lock(String tenant, String name) {
        return find("tenant = ?1 and name = ?2", tenant, name).withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional();
    }
}
