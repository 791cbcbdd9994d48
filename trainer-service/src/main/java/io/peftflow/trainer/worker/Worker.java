package io.peftflow.trainer.worker;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.peftflow.core.evaluation.LossMetrics;
import io.peftflow.trainer.TrainerConfig;
import io.peftflow.kit.trace.StoredTrace;
import io.peftflow.trainer.jobs.FineTuningJob;
import io.peftflow.trainer.jobs.JobKind;
import io.peftflow.trainer.jobs.JobStatus;
import io.peftflow.trainer.jobs.JobsQueued;
import io.peftflow.trainer.queue.JobQueue;
import io.peftflow.trainer.worker.engine.EngineCheck;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import org.jboss.logging.Logger;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The worker of this JVM (roles {@code worker} and {@code both}): one thread that claims a job, trains it, records how
 * it ended and claims the next — one job at a time, because DJL allows one training run per JVM; scale is more
 * worker pods. A heartbeat thread renews the lease every {@code heartbeat}, writes the latest progress and stops the
 * run when its cancel is requested or its lease was lost.
 *
 * <p>Before its first claim the worker loads the engine and runs one tensor operation ({@link EngineCheck}). A worker
 * that cannot work — the engine does not load, or its thread dies of anything but a job's own failure — logs one line
 * saying why and ends the process with status {@value #EXIT_FAILED}, so that its pod is replaced (Deployment) or its
 * Job retried (ScaledJob) instead of sitting "ready" with a GPU; {@link WorkerHealth} reports the same meanwhile.
 */
@ApplicationScoped
public class Worker {
    private static final Logger LOG = Logger.getLogger(Worker.class);
    /** The exit status of a worker that cannot work. */
    static final int EXIT_FAILED = 3;

    private final JobQueue queue;
    private final JobRunner runner;
    private final AdapterEvaluation evaluation;
    private final TrainerConfig config;
    private final WorkerHealth health;
    private final Tracer tracer;
    private final Semaphore wake = new Semaphore(0);
    private final String workerId = workerId();
    private volatile boolean stopping;
    private volatile JobRunner.Running current;
    private Thread thread;
    private ScheduledExecutorService heartbeat;

    public Worker(JobQueue queue, JobRunner runner, AdapterEvaluation evaluation, TrainerConfig config,
                  WorkerHealth health, Tracer tracer) {
        this.tracer = tracer;
        this.queue = queue;
        this.runner = runner;
        this.evaluation = evaluation;
        this.config = config;
        this.health = health;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.role().trains()) {
            return;
        }
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "trainer-heartbeat"));
        long every = config.heartbeat().toMillis();
        heartbeat.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
        thread = new Thread(this::work, "trainer-worker");
        health.started(thread);
        thread.start();
        LOG.infof("worker %s started (device %s, lease %s)", workerId, config.device(), config.lease());
    }

    /** A job was queued in this JVM: look now rather than at the next poll. */
    void onQueued(@Observes(during = TransactionPhase.AFTER_SUCCESS) JobsQueued event) {
        wake.release();
    }

    /** The worker thread: the engine check, then the claim loop; whatever ends it otherwise ends the process. */
    private void work() {
        try {
            String device;
            try {
                device = EngineCheck.load(config.device()).toString();
            } catch (EngineCheck.EngineUnavailable e) {
                fail("worker " + workerId + " cannot start: " + e.getMessage(), null);
                return;
            }
            LOG.infof("worker %s: engine loaded, one tensor operation ran on %s; claiming jobs", workerId, device);
            health.idle();
            loop(device);
        } catch (Throwable t) {
            fail("worker " + workerId + " stopped: its thread died of " + t, t);
        }
    }

    /**
     * The run's span, a child of the span that queued the job (its stored trace context): what the run announces
     * (the succeeded event the registry registers from) stays in the trace of the upload or request behind it.
     */
    private Span jobSpan(JobQueue.Claim claim) {
        FineTuningJob job = claim.job();
        return tracer.spanBuilder((job.kind == JobKind.EVALUATION ? "evaluate " : "train ") + job.id)
                .setParent(StoredTrace.parentOf(StoredTrace.of(job.traceparent, job.tracestate)))
                .setAttribute("peftflow.job.id", job.id).setAttribute("peftflow.job.attempt", job.attempt)
                .startSpan();
    }

    private void fail(String reason, Throwable t) {
        health.failed(reason);
        LOG.error(reason.replaceAll("\\s+", " "), t);
        if (!stopping) {
            Quarkus.asyncExit(EXIT_FAILED);
        }
    }

    private void loop(String device) {
        Path workDir = config.workDir().orElse(Path.of(System.getProperty("java.io.tmpdir"), "peftflow-trainer"))
                .resolve("runs");
        long idleSince = System.nanoTime();
        while (!stopping) {
            try {
                Optional<JobQueue.Claim> claim = queue.claim(workerId, device);
                if (claim.isEmpty()) {
                    if (config.exitWhenIdle().isPresent()
                            && System.nanoTime() - idleSince > config.exitWhenIdle().get().toNanos()) {
                        LOG.infof("worker %s: no job for %s, exiting", workerId, config.exitWhenIdle().get());
                        Quarkus.asyncExit(0);
                        return;
                    }
                    wake.drainPermits();
                    wake.tryAcquire(config.poll().toMillis(), TimeUnit.MILLISECONDS);
                    continue;
                }
                JobRunner.Running running = new JobRunner.Running(claim.get().lease());
                current = running;
                health.running(claim.get().lease().jobId());
                Span span = jobSpan(claim.get());
                try (Scope ignored = span.makeCurrent()) {
                    JobQueue.Outcome outcome = claim.get().job().kind == JobKind.EVALUATION
                            ? evaluation.run(claim.get(), running, workDir) : runner.run(claim.get(), running, workDir);
                    span.setAttribute("peftflow.job.outcome", outcome.name().toLowerCase(Locale.ROOT));
                    LOG.infof("job %s: %s", claim.get().lease().jobId(), outcome.name().toLowerCase(Locale.ROOT));
                } finally {
                    span.end();
                    current = null;
                    health.idle();
                    idleSince = System.nanoTime();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // The database may be away for a moment: back off and claim again (leases protect the jobs).
                LOG.errorf(e, "worker loop");
                sleep(config.poll().toMillis() * 4);
            }
        }
    }

    /**
     * Renews the lease, publishes progress, and stops the run on a cancel request or a lost lease. While the outcome
     * is recorded (results upload, which a slow store can make longer than a lease) it only renews the lease: no
     * other worker may claim a finished job and train it again.
     */
    private void beat() {
        JobRunner.Running running = current;
        if (running == null) {
            return;
        }
        try {
            if (running.finishing) {
                // Empty once the outcome is recorded; a lease lost meanwhile is reported by the recording (LOST).
                queue.renew(running.lease, null);
                return;
            }
            LossMetrics evaluation = running.progress.takeEvaluation();
            if (evaluation != null) {
                queue.logEvaluation(running.lease, running.progress.evaluationStep(), String.format(Locale.ROOT,
                        "Evaluation at step %d: eval loss=%.4f, token accuracy=%.3f", running.progress.evaluationStep(),
                        evaluation.loss(), evaluation.tokenAccuracy()), Map.of("step", running.progress.evaluationStep(),
                        "eval_loss", evaluation.loss(), "perplexity", evaluation.perplexity(),
                        "token_accuracy", evaluation.tokenAccuracy()));
            }
            Optional<JobStatus> status = queue.renew(running.lease, running.progress.latest());
            if (status.isEmpty()) {
                LOG.warnf("job %s: lease lost to another worker; stopping without recording", running.lease.jobId());
                running.lost = true;
                running.cancel.cancel();
            } else if (status.get() == JobStatus.CANCEL_REQUESTED) {
                running.cancel.cancel();
            }
        } catch (RuntimeException e) {
            // Missing one beat is fine; the lease is several beats long.
            LOG.warnf("heartbeat of job %s failed: %s", running.lease.jobId(), e.getMessage());
        }
    }

    /** On shutdown the run stops at its next step, checkpoints, and the job goes back to the queue for another worker. */
    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        JobRunner.Running running = current;
        if (running != null) {
            running.released = true;
            running.cancel.cancel();
        }
        if (thread != null) {
            wake.release();
            try {
                thread.join(config.lease().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (heartbeat != null) {
            heartbeat.shutdownNow();
        }
    }

    public String id() {
        return workerId;
    }

    private static String workerId() {
        // Pod name (the hostname in Kubernetes) and pid: unique per worker JVM.
        String host = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("localhost");
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
