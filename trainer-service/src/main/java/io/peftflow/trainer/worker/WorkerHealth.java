package io.peftflow.trainer.worker;

import io.peftflow.trainer.TrainerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * The worker's state as the health check "worker": live unless the worker failed (its engine did not load, its thread
 * died), ready once the engine runs and while the worker is idle or training. The state is in the check's data:
 * {@code starting: loading the engine}, {@code idle}, {@code running job <id>}, {@code failed: <reason>}.
 */
@ApplicationScoped
public class WorkerHealth {
    static final String CHECK = "worker";

    enum Phase { STARTING, IDLE, RUNNING, FAILED }

    record State(Phase phase, String detail) {
        String describe() {
            return switch (phase) {
                case STARTING -> "starting: loading the engine";
                case IDLE -> "idle";
                case RUNNING -> "running job " + detail;
                case FAILED -> "failed: " + detail;
            };
        }
    }

    private final boolean trains;
    private volatile State state = new State(Phase.STARTING, null);
    private volatile Thread thread;

    public WorkerHealth(TrainerConfig config) {
        this.trains = config.role().trains();
    }

    void started(Thread workerThread) {
        thread = workerThread;
    }

    void idle() {
        state = new State(Phase.IDLE, null);
    }

    void running(String jobId) {
        state = new State(Phase.RUNNING, jobId);
    }

    void failed(String reason) {
        state = new State(Phase.FAILED, reason);
    }

    State state() {
        State s = state;
        Thread t = thread;
        if (s.phase() != Phase.FAILED && t != null && !t.isAlive()) {
            return new State(Phase.FAILED, "the worker thread " + t.getName() + " is not running");
        }
        return s;
    }

    @Produces
    @Liveness
    HealthCheck liveness() {
        return () -> {
            State s = state();
            return response(s, s.phase() != Phase.FAILED);
        };
    }

    @Produces
    @Readiness
    HealthCheck readiness() {
        return () -> {
            State s = state();
            return response(s, s.phase() == Phase.IDLE || s.phase() == Phase.RUNNING);
        };
    }

    private HealthCheckResponse response(State s, boolean up) {
        if (!trains) {
            return HealthCheckResponse.named(CHECK).up().withData("state", "none: role api trains nothing").build();
        }
        return HealthCheckResponse.named(CHECK).status(up).withData("state", s.describe()).build();
    }
}
