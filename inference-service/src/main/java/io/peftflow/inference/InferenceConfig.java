package io.peftflow.inference;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Where models and adapters come from, and the bounds every request is held to. */
@ConfigMapping(prefix = "peftflow.inference")
public interface InferenceConfig {
    /** registry-service, asked which version a model name means for a tenant. */
    String registryUrl();

    @WithDefault("peftflow-models")
    String modelsBucket();

    /** The base model loaded at start-up; readiness waits for it. */
    @WithDefault("tiny-llama")
    String preloadBaseModel();

    /** Local copies of base models and adapter files; default: the temp directory. */
    Optional<Path> cacheDir();

    /** Loaded adapters kept per base model, least recently used dropped first, by their weights' bytes. */
    @WithDefault("268435456")
    long adapterCacheBytes();

    /** How long a resolved model name is reused when no adapter event drops it sooner. */
    @WithDefault("2s")
    Duration resolveTtl();

    /** Most inputs of one classify request. */
    @WithDefault("64")
    int maxInputs();

    /** Most characters of one input, message or prompt (before tokenising). */
    @WithDefault("8000")
    int maxInputChars();

    /** Most new tokens one completion may ask for. */
    @WithDefault("512")
    int maxNewTokens();

    /** Most classify inputs scored in one batched pass when requests queue up (dynamic batching). */
    @WithDefault("32")
    int maxBatchInputs();

    /**
     * How long a classify pass may wait, under load, after the base is free for the rows the last cycle brought (0 to
     * 1 s; 0: never): clients answered by one pass rejoin the next instead of forming half-full passes of their own
     * ({@code ClassifyWindow}; docs/BENCHMARKS.md, classify's wait window). An isolated request never waits.
     */
    @WithDefault("6ms")
    Duration classifyWait();

    /**
     * PyTorch's intra-op threads for a base's passes. 1 by default: a pass's ops are small, and a second OpenMP thread
     * spin-waits at every op's barrier, burning a core that the HTTP threads, the gateway and other JVMs need
     * (docs/BENCHMARKS.md, classify: 16x fewer requests/s with 2 threads on 2 busy cores). Raise it for large models
     * on a CPU node of their own.
     */
    @WithDefault("1")
    int torchThreads();

    /**
     * Where bases run: {@code cpu} (the default), {@code cuda}, {@code cuda:N} or {@code auto} (peft-core's device
     * names). On a GPU, in fp16; decode steps then run through peft-core's native engine where
     * {@code PEFTFLOW_DECODE_NATIVE} names its library (README "On a GPU").
     */
    @WithDefault("cpu")
    String device();

    /**
     * How long a base model's warm-up may run before it takes requests and readiness reports it (0s: none): classify
     * passes at the dynamic batcher's batch sizes on throw-away adapters until the JIT has compiled what they run, so
     * that a fresh replica's first requests do not pay for the JIT and PyTorch's first calls (docs/BENCHMARKS.md,
     * classify warm-up). A promotion's new champion also runs one pass (waited for this long at most) before requests
     * move to it.
     */
    @WithDefault("10s")
    Duration warmUp();

    /** Completions of one base decoded together (continuous batching). */
    Completions completions();

    interface Completions {
        /** Most sequences decoded together on one base (1 to 256); more requests wait for a row to free. */
        @WithDefault("32")
        int maxBatch();

        /**
         * How long an idle base waits after a completion request arrives for more to share its first step (0 to 1 s);
         * requests arriving later join the running batch between two steps anyway.
         */
        @WithDefault("2ms")
        Duration batchWait();
    }

    /** The Batch API: where batches keep their state and results, and how long a replica holds one between passes. */
    Batches batches();

    interface Batches {
        @WithDefault("peftflow-batches")
        String bucket();

        /** How often a running batch's state (progress, lease) is saved and a cancel looked for, between passes. */
        @WithDefault("1s")
        Duration checkpointInterval();

        /** A batch whose runner has not renewed this within it is taken over by another replica (or the restarted one). */
        @WithDefault("30s")
        Duration lease();

        /** How often a replica looks for batches to take over. */
        @WithDefault("5s")
        Duration sweepInterval();
    }

    /** The champion-sync mode beside a vLLM server (k8s/components/vllm); off unless {@code url} is set. */
    Vllm vllm();

    interface Vllm {
        /** vLLM's OpenAI-compatible server (started with --enable-lora); when set, this JVM only feeds it champions. */
        Optional<String> url();

        /** The adapters whose champion vLLM serves, as {@code tenant/adapter}, each under its adapter name. */
        Optional<List<String>> adapters();

        /** How often every followed champion is checked, events or not (a missed event, vLLM restarted). */
        @WithDefault("30s")
        Duration syncInterval();
    }
}
