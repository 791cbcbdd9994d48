package io.peftflow.trainer.intake;

import io.peftflow.events.training.DatasetRef;
import io.peftflow.trainer.TrainerConfig;
import io.peftflow.trainer.jobs.FineTuningJob;
import io.peftflow.trainer.jobs.JobRepository;
import io.peftflow.trainer.jobs.JobService;
import io.peftflow.trainer.jobs.JobStatus;
import io.peftflow.trainer.validation.InvalidRequest;
import io.peftflow.trainer.validation.JobValidator;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.hibernate.LockOptions;

import java.util.List;

/**
 * Moves jobs that arrived over Kafka from {@code validating_files} to {@code queued}, or to {@code failed} (a user
 * error naming the field) when the request is invalid — the same checks a REST request gets before it is accepted.
 */
@ApplicationScoped
public class RequestValidation {
    private final JobRepository jobs;
    private final JobService service;
    private final JobValidator validator;
    private final TrainerConfig config;

    public RequestValidation(JobRepository jobs, JobService service, JobValidator validator, TrainerConfig config) {
        this.jobs = jobs;
        this.service = service;
        this.validator = validator;
        this.config = config;
    }

    @Scheduled(every = "${peftflow.trainer.validation-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void validatePending() {
        if (!config.role().serves()) {
            return;
        }
        List<FineTuningJob> pending = jobs.find("status = ?1 order by seq",
                        JobStatus.VALIDATING_FILES)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .withHint("jakarta.persistence.lock.timeout", LockOptions.SKIP_LOCKED)
                .page(0, 20).list();
        for (FineTuningJob j : pending) {
            try {
                j.recipe = validator.recipe(j.recipe);
                DatasetRef ref = validator.dataset(j.tenant, j.datasetName, j.datasetVersion);
                j.datasetVersion = ref.version();
                j.moveTo(JobStatus.QUEUED);
                service.announceQueued(j);
            } catch (InvalidRequest e) {
                service.reject(j, e.getMessage());
            }
        }
    }
}
