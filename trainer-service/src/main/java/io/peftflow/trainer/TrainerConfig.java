package io.peftflow.trainer;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** trainer-service's own settings ({@code peftflow.trainer.*}); the README lists each with its environment variable. */
@ConfigMapping(prefix = "peftflow.trainer")
public interface TrainerConfig {

    /** What this JVM does: {@code api} (REST, consumers, policies), {@code worker} (trains), or {@code both}. */
    @WithDefault("both")
    Role role();

    enum Role {
        API, WORKER, BOTH;

        public boolean serves() {
            return this != WORKER;
        }

        public boolean trains() {
            return this != API;
        }
    }

    /** A worker's lease on its job; a job whose lease ran out (its worker died) is claimed again. */
    @WithDefault("30s")
    Duration lease();

    /** How often a worker renews its lease, publishes progress and looks for a cancel request. */
    @WithDefault("3s")
    Duration heartbeat();

    /** How often an idle worker looks for a job (it is also woken at once by jobs queued in its own JVM). */
    @WithDefault("250ms")
    Duration poll();

    /** How often an api pod validates the jobs that arrived over Kafka ({@code validating_files} to {@code queued}). */
    @WithDefault("1s")
    Duration validationInterval();

    /**
     * How long a job request whose {@code training_file} names a dataset version not announced here yet waits for it
     * before the 422: OpenAI's clients create the job right after the upload returns, before the version's event.
     */
    @WithDefault("10s")
    Duration announcementWait();

    /**
     * A worker that finds no job for this long exits (status 0): the mode of one-shot worker pods, e.g. a KEDA
     * ScaledJob that starts a pod per queued job. Absent: the worker waits for jobs forever.
     */
    Optional<Duration> exitWhenIdle();

    /** Claims of one job before it fails as a system error (a job that kills its workers must not loop). */
    @WithDefault("5")
    int maxAttempts();

    /** Checkpoint interval in steps when a job does not set one. */
    @WithDefault("50")
    int checkpointEverySteps();

    /** Where workers keep base models (by content hash), downloaded splits and run directories. */
    Optional<Path> workDir();

    /** The worker's device: {@code auto} (CUDA when visible), {@code cpu}, {@code cuda} or {@code cuda:N}. */
    @WithDefault("auto")
    String device();

    /** Device memory of the workers a job is planned against: requests whose plan needs more are refused. */
    @WithDefault("80G")
    MemorySize workerDeviceMemory();

    /** Whether the workers train on a GPU (fp16 plan) or on CPUs (fp32 plan). */
    @WithDefault("true")
    boolean workerGpu();

    /** Sequence length the plan assumes (0: the base model's context). */
    @WithDefault("512")
    int planSequenceLength();

    /** The bucket of base models ({@code <name>/config.json, tokenizer.json, *.safetensors}). */
    @WithDefault("peftflow-models")
    String modelsBucket();

    /**
     * Where dataset-service keeps splits, {@code <tenant>/<dataset>/...}: a job trains only on splits under its
     * dataset's own prefix there (an announcement naming anything else is refused and dead-lettered).
     */
    @WithDefault("peftflow-datasets")
    String datasetsBucket();

    /** Checkpoints and results: {@code <tenant>/<job>/checkpoints/step-N/...}, {@code <tenant>/<job>/result/...}. */
    @WithDefault("peftflow-checkpoints")
    String artifactsBucket();

    /**
     * A tenant's unfinished jobs (validating, queued, running) at most: a job request past it is answered 429 naming
     * the limit; jobs that policies and Kafka requests make count too but are not refused (they are not a client's).
     */
    @WithDefault("20")
    int maxActiveJobsPerTenant();

    /** Open {@code /stream} connections per tenant at most (429 past it), so one tenant cannot hold all connections. */
    @WithDefault("8")
    int maxStreamsPerTenant();

    /** The embedded tiny model is registered under this name at start-up: the default base model. */
    @WithDefault("tiny-llama")
    String defaultBaseModel();
}
