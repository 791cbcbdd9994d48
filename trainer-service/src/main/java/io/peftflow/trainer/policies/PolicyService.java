package io.peftflow.trainer.policies;

import io.peftflow.events.training.DatasetRef;
import io.peftflow.events.training.TrainingRequested;
import io.peftflow.kit.problem.ProblemException;
import io.peftflow.events.training.JobQueued;
import io.peftflow.trainer.datasets.ContentDiff;
import io.peftflow.trainer.datasets.KnownVersion;
import io.peftflow.trainer.datasets.KnownVersions;
import io.peftflow.trainer.jobs.FineTuningJob;
import io.peftflow.trainer.jobs.JobRepository;
import io.peftflow.trainer.jobs.JobService;
import io.peftflow.trainer.jobs.JobStatus;
import io.peftflow.trainer.jobs.Recipe;
import io.peftflow.trainer.validation.InvalidRequest;
import io.peftflow.trainer.validation.JobValidator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.time.OffsetDateTime;
import java.util.Optional;

/** Retraining policies, and what a new dataset version does under one. */
@ApplicationScoped
public class PolicyService {
    private static final Logger LOG = Logger.getLogger(PolicyService.class);

    private final JobService jobs;
    private final JobRepository jobRows;
    private final JobValidator validator;
    private final KnownVersions versions;
    private final ContentDiff diff;

    public PolicyService(JobService jobs, JobRepository jobRows, JobValidator validator, KnownVersions versions,
                         ContentDiff diff) {
        this.jobs = jobs;
        this.jobRows = jobRows;
        this.validator = validator;
        this.versions = versions;
        this.diff = diff;
    }

    /** Creates or replaces the dataset's policy (the recipe is validated by the caller). */
    @Transactional
    public RetrainingPolicy put(String tenant, String dataset, Recipe recipe, long minNewExamples, int debounceSeconds) {
        RetrainingPolicy p = find(tenant, dataset, true).orElseGet(() -> {
            RetrainingPolicy created = new RetrainingPolicy();
            created.tenant = tenant;
            created.dataset = dataset;
            created.createdAt = OffsetDateTime.now();
            return created;
        });
        p.recipe = recipe;
        p.minNewExamples = minNewExamples;
        p.debounceSeconds = debounceSeconds;
        p.updatedAt = OffsetDateTime.now();
        if (!p.isPersistent()) {
            p.persist();
        }
        return p;
    }

    @Transactional
    public RetrainingPolicy get(String tenant, String dataset) {
        return find(tenant, dataset, false).orElseThrow(() ->
                new ProblemException(Response.Status.NOT_FOUND, "no retraining policy for dataset '" + dataset + "'"));
    }

    @Transactional
    public void delete(String tenant, String dataset) {
        RetrainingPolicy.delete("tenant = ?1 and dataset = ?2", tenant, dataset);
    }

    /**
     * A dataset version arrived (for the first time). Under a policy with enough new examples — by content, against
     * the version the policy last trained on ({@link ContentDiff}) — it queues a job — claimable
     * after the debounce — and cancels the policy's queued jobs for older versions, which it supersedes.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<FineTuningJob> onNewVersion(KnownVersion v) {
        Optional<RetrainingPolicy> found = find(v.tenant, v.dataset, true);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        RetrainingPolicy p = found.get();
        if (p.lastVersion != null && v.version <= p.lastVersion) {
            return Optional.empty();
        }
        KnownVersion trained = p.lastVersion == null ? null
                : versions.version(v.tenant, v.dataset, p.lastVersion).orElse(null);
        JobQueued.DataChange change = diff.between(v, trained);
        if (change.newExamples() < p.minNewExamples) {
            LOG.infof("policy %s/%s: version %d brings %d new examples (< %d) over version %d%s, drops %d: no job",
                    v.tenant, v.dataset, v.version, change.newExamples(), p.minNewExamples, change.comparedTo(),
                    change.byContent() ? " by content" : " by example count", change.droppedExamples());
            return Optional.empty();
        }
        for (FineTuningJob older : jobRows.supersedable(v.tenant, v.dataset, v.version, TrainingRequested.ORIGIN_POLICY)) {
            jobs.cancelUnstarted(older, "superseded by version " + v.version + " of dataset '" + v.dataset + "'");
        }
        p.lastVersion = v.version;
        p.lastValidExamples = v.validExamples;
        String requestId = "policy/" + v.dataset + "/v" + v.version;
        DatasetRef ref = new DatasetRef(v.dataset, v.version, v.trainSha256, v.validationSha256);
        // The policy keeps "auto" as it was set: each job gets the defaults of its time.
        Recipe recipe = validator.withDefaults(p.recipe);
        try {
            recipe = validator.parent(v.tenant, recipe);
        } catch (InvalidRequest e) {
            // No champion yet (the first version), or one that does not fit: this version trains from scratch.
            LOG.infof("policy %s/%s: version %d starts cold: %s", v.tenant, v.dataset, v.version, e.getMessage());
            recipe = validator.withDefaults(p.recipe.withInitFrom(null));
        }
        return Optional.of(jobs.submit(v.tenant, requestId, JobService.requestHash(v.dataset, v.version, recipe),
                TrainingRequested.ORIGIN_POLICY, ref, recipe,
                JobStatus.QUEUED, OffsetDateTime.now().plusSeconds(p.debounceSeconds), change).job());
    }

    private static Optional<RetrainingPolicy> find(String tenant, String dataset, boolean forUpdate) {
        var q = RetrainingPolicy.<RetrainingPolicy>find("tenant = ?1 and dataset = ?2", tenant, dataset);
        return (forUpdate ? q.withLock(LockModeType.PESSIMISTIC_WRITE) : q).firstResultOptional();
    }
}
