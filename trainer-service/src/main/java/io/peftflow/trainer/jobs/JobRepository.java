package io.peftflow.trainer.jobs;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class JobRepository implements PanacheRepositoryBase<FineTuningJob, String> {

    /**
     * Inserts the job unless one with its id or its (tenant, request id) exists: the one idempotent write that
     * every intake path (REST, Kafka requests, policies) goes through. True when this call inserted it.
     */
    public boolean insertIfAbsent(FineTuningJob j) {
        int rows = getEntityManager().createNativeQuery("""
                INSERT INTO fine_tuning_job (id, tenant, request_id, request_hash, origin, status, adapter_name,
                    dataset_name, dataset_version, base_model, method, hyperparameters, training, seed, created_at,
                    not_before, kind, init_from, evaluation_request, new_data, traceparent, tracestate, stack_on)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, CAST(?18 AS text),
                    CAST(?19 AS text), CAST(?20 AS text), CAST(?21 AS text), CAST(?22 AS text), CAST(?23 AS text))
                ON CONFLICT DO NOTHING""")
                .setParameter(1, j.id).setParameter(2, j.tenant).setParameter(3, j.requestId)
                .setParameter(4, j.requestHash).setParameter(5, j.origin).setParameter(6, j.status().name())
                .setParameter(7, j.recipe.adapterName()).setParameter(8, j.datasetName)
                .setParameter(9, j.datasetVersion).setParameter(10, j.recipe.baseModel())
                .setParameter(11, j.recipe.method()).setParameter(12, JsonText.write(j.recipe.hyperparameters()))
                .setParameter(13, JsonText.write(j.recipe.training())).setParameter(14, j.recipe.seed())
                .setParameter(15, j.createdAt)
                .setParameter(16, j.notBefore)
                .setParameter(17, j.kind.name())
                .setParameter(18, new InitFrom.Text().convertToDatabaseColumn(j.recipe.initFrom()))
                .setParameter(19, j.evaluationRequest)
                .setParameter(20, j.newData)
                .setParameter(21, j.traceparent)
                .setParameter(22, j.tracestate)
                .setParameter(23, new StackOn.Text().convertToDatabaseColumn(j.recipe.stackOn()))
                .executeUpdate();
        return rows == 1;
    }

    /**
     * The tenant's unfinished jobs, counted under a lock on the tenant's quota held until the transaction ends, so two
     * concurrent requests cannot both take the last place.
     */
    public long unfinished(String tenant) {
        var em = getEntityManager();
        em.createNativeQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext(?1))) quota")
                .setParameter(1, "job-quota/" + tenant).getSingleResult();
        return ((Number) em.createNativeQuery("""
                SELECT count(*) FROM fine_tuning_job
                WHERE tenant = ?1 AND status IN ('VALIDATING_FILES', 'QUEUED', 'RUNNING', 'CANCEL_REQUESTED')""")
                .setParameter(1, tenant).getSingleResult()).longValue();
    }

    public Optional<FineTuningJob> findByRequest(String tenant, String requestId) {
        return find("tenant = ?1 and requestId = ?2", tenant, requestId).firstResultOptional();
    }

    public Optional<FineTuningJob> findForTenant(String tenant, String id) {
        return find("tenant = ?1 and id = ?2", tenant, id).firstResultOptional();
    }

    /** The same, with the row locked until the transaction ends (cancel against a claiming worker). */
    public Optional<FineTuningJob> findForTenant(String tenant, String id, boolean forUpdate) {
        var q = find("tenant = ?1 and id = ?2", tenant, id);
        return (forUpdate ? q.withLock(LockModeType.PESSIMISTIC_WRITE) : q).firstResultOptional();
    }

    /** Newest first, after the cursor job's position; {@code status} and {@code dataset} filter when not null. */
    public List<FineTuningJob> page(String tenant, JobKind kind, Long beforeSeq, int limit, JobStatus status,
                                    String dataset) {
        StringBuilder q = new StringBuilder("tenant = :tenant and kind = :kind");
        Parameters p = Parameters.with("tenant", tenant).and("kind", kind);
        if (beforeSeq != null) {
            q.append(" and seq < :seq");
            p.and("seq", beforeSeq);
        }
        if (status != null) {
            q.append(" and status = :status");
            p.and("status", status);
        }
        if (dataset != null) {
            q.append(" and datasetName = :dataset");
            p.and("dataset", dataset);
        }
        return find(q.append(" order by seq desc").toString(), p).page(0, limit).list();
    }

    /** The jobs that wait to train on one dataset version (queued, or validating against it), locked. */
    public List<FineTuningJob> waitingOn(String tenant, String dataset, int version) {
        return find("tenant = ?1 and datasetName = ?2 and datasetVersion = ?3 and status in ?4", tenant, dataset, version,
                List.of(JobStatus.QUEUED, JobStatus.VALIDATING_FILES)).withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }

    /** A policy's jobs for older versions of the dataset that no worker has started yet. */
    public List<FineTuningJob> supersedable(String tenant, String dataset, int newerVersion, String origin) {
        // Locked: a worker claiming one of them at the same time wins, and it is then no longer supersedable.
        return find("tenant = ?1 and datasetName = ?2 and datasetVersion < ?3 and origin = ?4 and status in ?5",
                tenant, dataset, newerVersion, origin, List.of(JobStatus.QUEUED, JobStatus.VALIDATING_FILES))
                .withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }
}
