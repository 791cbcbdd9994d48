package io.peftflow.inference.runtime;

import io.peftflow.core.device.Devices;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.inference.InferenceConfig;
import io.peftflow.inference.registry.RegistryClient;
import io.peftflow.inference.registry.ServedStack;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The base models in memory (each loaded once, on first use or at start-up for {@code preload-base-model}) and the
 * staged adapter versions (downloaded once). Readiness is the preloaded base being in memory and warmed up.
 */
@ApplicationScoped
public class Engine {
    private static final Logger LOG = Logger.getLogger(Engine.class);

    /** A version (or stack) ready to run: its files on disk and the base it runs on. */
    public record Served(ModelFiles.StagedStack adapter, LoadedBase base) {
        public ServedStack version() {
            return adapter.version();
        }
    }

    private final ModelFiles files;
    private final RegistryClient registry;
    private final InferenceConfig config;
    private final Map<String, LoadedBase> bases = new ConcurrentHashMap<>();
    private final Map<String, ModelFiles.StagedAdapter> staged = new ConcurrentHashMap<>();
    /** Versions being readied for traffic ({@link #warm}) by their key: requests for one wait for it. */
    private final Map<String, CompletableFuture<Void>> warming = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    public Engine(ModelFiles files, RegistryClient registry, InferenceConfig config) {
        this.files = files;
        this.registry = registry;
        this.config = config;
        int maxBatch = config.completions().maxBatch();
        if (maxBatch < 1 || maxBatch > 256) {
            throw new IllegalArgumentException("peftflow.inference.completions.max-batch must be 1 to 256, got " + maxBatch);
        }
        requireWait("peftflow.inference.completions.batch-wait", config.completions().batchWait());
        requireWait("peftflow.inference.classify-wait", config.classifyWait());
    }

    private static void requireWait(String property, Duration wait) {
        if (wait.isNegative() || wait.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException(property + " must be 0 to 1s, got " + wait);
        }
    }

    void preload(@Observes StartupEvent event) {
        if (config.vllm().url().isPresent()) {
            return; // feeding a vLLM server: no model of its own
        }
        Thread t = new Thread(() -> {
            // before the base is ready, so the first request's model lookup finds the client set up and connected
            registry.connect();
            // The trainer uploads the default base model at its own start-up: keep trying until it is there.
            while (!stopping && !bases.containsKey(config.preloadBaseModel())) {
                try {
                    base(config.preloadBaseModel());
                } catch (RuntimeException e) {
                    LOG.infof("base model %s not loaded yet: %s", config.preloadBaseModel(), e.getMessage());
                    sleep();
                }
            }
        }, "inference-preload");
        t.setDaemon(true);
        t.start();
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        bases.values().forEach(LoadedBase::close);
    }

    public boolean ready() {
        return config.vllm().url().isPresent() || bases.containsKey(config.preloadBaseModel());
    }

    /** The versions with their files on disk and their base in memory (once a {@link #warm} of them has ended). */
    public Served serve(ServedStack stack) {
        CompletableFuture<Void> readying = warming.get(stack.key());
        if (readying != null) {
            awaitWarm(readying, stack);
        }
        return stage(stack);
    }

    /**
     * Readies a version before requests move to it (a promotion's new champion): its files staged, its base loaded,
     * the version loaded on it and, for a classifier, one pass run ({@link LoadedBase#prepare}). Requests for it that
     * come meanwhile (a cached name's TTL ran out first) wait for this, up to {@code warm-up}; a failure is theirs to
     * meet.
     */
    public void warm(ServedStack stack) {
        if (config.vllm().url().isPresent() || config.warmUp().isZero()) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (warming.putIfAbsent(stack.key(), done) != null) {
            return;
        }
        long start = System.nanoTime();
        try {
            Served served = stage(stack);
            awaitWarm(served.base().prepare(served.adapter()), stack);
            LOG.infof("%s warmed up for traffic in %d ms", stack.key(), (System.nanoTime() - start) / 1_000_000);
        } finally {
            warming.remove(stack.key(), done);
            done.complete(null);
        }
    }

    private void awaitWarm(CompletableFuture<Void> readying, ServedStack stack) {
        try {
            readying.get(config.warmUp().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warnf("%s not warmed up within %s: serving it as it is", stack.key(), config.warmUp());
        } catch (ExecutionException e) {
            LOG.warnf("warming %s up failed: %s", stack.key(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The stack as {@link #serve} would give it, where that needs no waiting: every layer staged, its base loaded and
     * warm, no {@link #warm} of it under way; empty otherwise.
     */
    Optional<Served> servedNow(ServedStack stack) {
        LoadedBase base = bases.get(stack.baseModel());
        if (base == null || warming.containsKey(stack.key())) {
            return Optional.empty();
        }
        List<ModelFiles.StagedAdapter> layers = new ArrayList<>(stack.layers().size());
        for (var v : stack.layers()) {
            ModelFiles.StagedAdapter a = staged.get(v.key());
            if (a == null) {
                return Optional.empty();
            }
            layers.add(a);
        }
        return Optional.of(new Served(new ModelFiles.StagedStack(stack, layers), base));
    }

    private Served stage(ServedStack stack) {
        List<ModelFiles.StagedAdapter> layers = stack.layers().stream()
                .map(v -> staged.computeIfAbsent(v.key(), k -> files.adapter(v))).toList();
        return new Served(new ModelFiles.StagedStack(stack, layers), base(stack.baseModel()));
    }

    private LoadedBase base(String name) {
        return bases.computeIfAbsent(name, n -> {
            LOG.infof("loading base model %s", n);
            LoadedBase base = new LoadedBase(n, files.baseModel(n), LoadOptions.on(Devices.pick(config.device())),
                    config.adapterCacheBytes(), config.maxBatchInputs(), config.classifyWait(), config.torchThreads(),
                    config.completions().maxBatch(), config.completions().batchWait(), config.warmUp());
            // in the map (and ready) only once warm: requests for it meanwhile wait here
            LoadedBase.WarmUp w = base.warmedUp().join();
            LOG.infof("base model %s warmed up: %d classify passes in %d ms", n, w.passes(), w.took().toMillis());
            return base;
        });
    }

    private static void sleep() {
        try {
            Thread.sleep(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
