package io.peftflow.trainer.jobs;

import io.peftflow.events.adapter.AdapterRegistrationFailed;
import io.peftflow.events.adapter.AdapterVersionRegistered;
import io.peftflow.events.training.JobFailed;
import io.peftflow.events.training.JobSucceeded;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * The registry's answer to a trained job: {@code trained} becomes {@code succeeded} with the registered version, or
 * {@code failed} with the registry's reason; either way a line in the job's events. Redeliveries change nothing.
 */
@ApplicationScoped
public class JobRegistrations {
    private static final Logger LOG = Logger.getLogger(JobRegistrations.class);

    private final JobRepository jobs;
    private final JobEvents events;

    public JobRegistrations(JobRepository jobs, JobEvents events) {
        this.jobs = jobs;
        this.events = events;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void registered(AdapterVersionRegistered r) {
        Optional<FineTuningJob> found = trained(r.tenant(), r.jobId(), r.adapter(), r.version());
        if (found.isEmpty()) {
            return;
        }
        FineTuningJob j = found.get();
        j.moveTo(JobStatus.SUCCEEDED);
        j.registeredVersion = r.version();
        j.finishedAt = OffsetDateTime.now();
        JobSucceeded trained = j.succeeded();
        Optional<String> warning = MajorityWarning.of(trained == null ? null : trained.metrics());
        events.log(j.id, "training.registered", warning.isPresent() ? "warning" : "info", "Registered as "
                + r.adapter() + " v" + r.version()
                + (r.role() == null ? "" : " (" + r.role() + (r.reason() == null ? "" : ": " + r.reason()) + ")")
                + warning.map(w -> "; " + w).orElse(""), JsonText.write(r));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void refused(AdapterRegistrationFailed r) {
        Optional<FineTuningJob> found = trained(r.tenant(), r.jobId(), r.adapter(), r.version());
        if (found.isEmpty()) {
            return;
        }
        FineTuningJob j = found.get();
        String reason = "registration failed: " + r.reason();
        j.moveTo(JobStatus.FAILED);
        j.finishedAt = OffsetDateTime.now();
        j.errorKind = JobFailed.Kind.REGISTRATION_FAILED.name();
        j.errorMessage = reason;
        events.publish(new JobFailed(j.id, j.tenant, JobFailed.Kind.REGISTRATION_FAILED, reason, j.lastCheckpointStep,
                j.finishedAt), "error", "Job failed: " + reason);
    }

    /** The job waiting for this answer; empty (logged) when there is none: not ours, or answered before. */
    private Optional<FineTuningJob> trained(String tenant, String jobId, String adapter, int version) {
        Optional<FineTuningJob> job = jobId == null ? Optional.empty() : jobs.findForTenant(tenant, jobId, true);
        if (job.isEmpty()) {
            LOG.infof("adapter %s/%s v%d names job %s, which is not one of this service's jobs", tenant, adapter,
                    version, jobId);
            return Optional.empty();
        }
        if (job.get().status() != JobStatus.TRAINED) {
            LOG.debugf("job %s is %s already: the registry's answer for v%d was recorded before", jobId,
                    job.get().status().wire(), version);
            return Optional.empty();
        }
        return job;
    }
}
