package io.peftflow.trainer.jobs;

import io.peftflow.events.adapter.AdapterPromoted;
import io.peftflow.events.adapter.AdapterVersionArchived;
import io.peftflow.events.training.JobSucceeded;
import io.peftflow.trainer.datasets.KnownVersion;
import io.peftflow.trainer.datasets.KnownVersions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Optional;

/**
 * Which trained adapter version a warm start or a stack loads. A version is one this service trained and the
 * registry registered (its job holds the stored files) and has not archived; {@code champion} is the version the
 * registry last promoted, as announced on {@code peftflow.adapter-events}.
 */
@ApplicationScoped
public class WarmStarts {
    private final EntityManager em;
    private final KnownVersions versions;

    public WarmStarts(EntityManager em, KnownVersions versions) {
        this.em = em;
        this.versions = versions;
    }

    /** Records a champion move; an announcement older than the one recorded (a lower move) changes nothing. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void promoted(AdapterPromoted p) {
        em.createNativeQuery("""
                INSERT INTO adapter_champion (tenant, adapter, version, move) VALUES (?1, ?2, ?3, ?4)
                ON CONFLICT (tenant, adapter) DO UPDATE SET version = EXCLUDED.version, move = EXCLUDED.move
                WHERE adapter_champion.move < EXCLUDED.move""")
                .setParameter(1, p.tenant()).setParameter(2, p.adapter()).setParameter(3, p.toVersion())
                .setParameter(4, p.move()).executeUpdate();
    }

    /** Records an archived version (redeliveries change nothing). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void archived(AdapterVersionArchived a) {
        em.createNativeQuery("""
                INSERT INTO adapter_archived (tenant, adapter, version) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING""")
                .setParameter(1, a.tenant()).setParameter(2, a.adapter()).setParameter(3, a.version()).executeUpdate();
    }

    @Transactional
    public boolean archived(String tenant, String adapter, int version) {
        return ((Number) em.createNativeQuery(
                "SELECT count(*) FROM adapter_archived WHERE tenant = ?1 AND adapter = ?2 AND version = ?3")
                .setParameter(1, tenant).setParameter(2, adapter).setParameter(3, version).getSingleResult())
                .longValue() > 0;
    }

    @Transactional
    public Optional<Integer> champion(String tenant, String adapter) {
        @SuppressWarnings("unchecked")
        List<Integer> v = em.createNativeQuery("SELECT version FROM adapter_champion WHERE tenant = ?1 AND adapter = ?2")
                .setParameter(1, tenant).setParameter(2, adapter).getResultList();
        return v.stream().findFirst();
    }

    /** The succeeded job that trained {@code adapter} version {@code version} for the tenant. */
    @Transactional
    public Optional<FineTuningJob> trainedBy(String tenant, String adapter, int version) {
        return FineTuningJob.<FineTuningJob>find("tenant = ?1 and recipe.adapterName = ?2 and registeredVersion = ?3",
                tenant, adapter, version).firstResultOptional();
    }

    /** Whether the version's training data was deleted (then it is never a parent: issue 19). */
    @Transactional
    public boolean trainedOnDeletedData(FineTuningJob parent) {
        JobSucceeded s = parent.succeeded();
        if (s != null && s.lineage() != null && s.lineage().datasetDeletedAt() != null) {
            return true;
        }
        Optional<KnownVersion> v = versions.version(parent.tenant, parent.datasetName, parent.datasetVersion);
        return v.isEmpty() || v.get().deletedAt != null;
    }
}
