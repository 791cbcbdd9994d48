package io.peftflow.inference.runtime;

import io.peftflow.core.device.Devices;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.inference.InferenceConfig;
import io.peftflow.inference.registry.ServedStack;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The base models in memory (each loaded once, on first use or at start-up for {@code preload-base-model}) and the
 * staged adapter versions (downloaded once). Readiness is the preloaded base being in memory.
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
    private final InferenceConfig config;
    private final Map<String, LoadedBase> bases = new ConcurrentHashMap<>();
    private final Map<String, ModelFiles.StagedAdapter> staged = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    public Engine(ModelFiles files, InferenceConfig config) {
        this.files = files;
        this.config = config;
        int maxBatch = config.completions().maxBatch();
        if (maxBatch < 1 || maxBatch > 256) {
            throw new IllegalArgumentException("peftflow.inference.completions.max-batch must be 1 to 256, got " + maxBatch);
        }
        Duration wait = config.completions().batchWait();
        if (wait.isNegative() || wait.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("peftflow.inference.completions.batch-wait must be 0 to 1s, got " + wait);
        }
    }

    void preload(@Observes StartupEvent event) {
        if (config.vllm().url().isPresent()) {
            return; // feeding a vLLM server: no model of its own
        }
        Thread t = new Thread(() -> {
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

    /** The versions with their files on disk and their base in memory. */
    public Served serve(ServedStack stack) {
        List<ModelFiles.StagedAdapter> layers = stack.layers().stream()
                .map(v -> staged.computeIfAbsent(v.key(), k -> files.adapter(v))).toList();
        return new Served(new ModelFiles.StagedStack(stack, layers), base(stack.baseModel()));
    }

    private LoadedBase base(String name) {
        return bases.computeIfAbsent(name, n -> {
            LOG.infof("loading base model %s", n);
            return new LoadedBase(n, files.baseModel(n), LoadOptions.on(Devices.pick(config.device())),
                    config.adapterCacheBytes(), config.maxBatchInputs(),
                    config.torchThreads(), config.completions().maxBatch(), config.completions().batchWait());
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
