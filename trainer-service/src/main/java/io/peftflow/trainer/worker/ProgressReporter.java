package io.peftflow.trainer.worker;

import io.peftflow.core.evaluation.LossMetrics;
import io.peftflow.core.run.RunListener;
import io.peftflow.core.training.StepProgress;
import io.peftflow.events.training.JobProgress;
import io.peftflow.trainer.queue.Lease;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The run's listener. It only keeps the latest step in memory: the heartbeat thread writes it to the database and the
 * outbox, so training never waits on either.
 */
final class ProgressReporter implements RunListener {
    private final Lease lease;
    private final AtomicReference<JobProgress> latest = new AtomicReference<>();
    private final AtomicReference<LossMetrics> evaluation = new AtomicReference<>();
    private volatile int evaluationStep;
    private volatile Phase phase = Phase.LOADING;

    ProgressReporter(Lease lease) {
        this.lease = lease;
    }

    @Override
    public void onPhase(Phase p) {
        phase = p;
    }

    @Override
    public void onStep(StepProgress p) {
        latest.set(new JobProgress(lease.jobId(), lease.tenant(), p.step(), p.totalSteps(), p.epoch(), p.loss(),
                p.learningRate(), p.tokensPerSecond(), p.etaSeconds()));
    }

    @Override
    public void onEvaluation(int step, LossMetrics metrics) {
        evaluationStep = step;
        evaluation.set(metrics);
    }

    Phase phase() {
        return phase;
    }

    JobProgress latest() {
        return latest.get();
    }

    /** The evaluation not yet logged, once. */
    LossMetrics takeEvaluation() {
        return evaluation.getAndSet(null);
    }

    int evaluationStep() {
        return evaluationStep;
    }
}
