package io.peftflow.inference.vllm;

import io.peftflow.inference.InferenceConfig;
import io.peftflow.events.contract.AdapterRef;
import io.peftflow.inference.registry.RegistryClient;
import io.peftflow.inference.registry.ServedVersion;
import io.peftflow.inference.runtime.ModelFiles;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a vLLM server on the champions of the followed adapters: at start, on every adapter event of a followed
 * adapter, and every {@code sync-interval}, it asks the registry for the champion, stages its files (checked against
 * the registry's SHA-256) on the volume it shares with vLLM, and has vLLM load them under the adapter's name. vLLM
 * serves LoRA only: a champion of another method is logged and left out.
 */
@ApplicationScoped
public class ChampionSync {
    private static final Logger LOG = Logger.getLogger(ChampionSync.class);

    /** A followed adapter: {@code tenant/adapter}. */
    public record Followed(String tenant, String adapter) {
        static Followed parse(String s) {
            int slash = s.indexOf('/');
            if (slash <= 0 || slash == s.length() - 1) {
                throw new IllegalArgumentException("peftflow.inference.vllm.adapters: expected tenant/adapter, got '" + s + "'");
            }
            return new Followed(s.substring(0, slash), s.substring(slash + 1));
        }
    }

    /** What to do about one followed adapter, given its champion and the version vLLM has. */
    public enum Action { LOAD, KEEP, SKIP_NOT_LORA, SKIP_STACKED }

    private final RegistryClient registry;
    private final ModelFiles files;
    private final InferenceConfig.Vllm config;
    private final Map<Followed, Integer> loaded = new ConcurrentHashMap<>();
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean stopping;

    public ChampionSync(RegistryClient registry, ModelFiles files, InferenceConfig config) {
        this.registry = registry;
        this.files = files;
        this.config = config.vllm();
    }

    public boolean enabled() {
        return config.url().isPresent();
    }

    /** LOAD a champion vLLM does not have yet; vLLM serves LoRA adapters only, one per request (no stacks). */
    public static Action decide(ServedVersion champion, Integer loadedVersion) {
        if (!"lora".equals(champion.method())) {
            return Action.SKIP_NOT_LORA;
        }
        if (!champion.stackedOn().isEmpty()) {
            return Action.SKIP_STACKED;
        }
        return Integer.valueOf(champion.version()).equals(loadedVersion) ? Action.KEEP : Action.LOAD;
    }

    void start(@Observes StartupEvent event) {
        if (!enabled()) {
            return;
        }
        List<Followed> followed = config.adapters().orElse(List.of()).stream().map(Followed::parse).toList();
        VllmClient vllm = new VllmClient(config.url().get());
        Thread t = new Thread(() -> {
            while (!stopping) {
                followed.forEach(f -> sync(f, vllm));
                try {
                    wake.tryAcquire(config.syncInterval().toMillis(), TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "vllm-champion-sync");
        t.setDaemon(true);
        t.start();
        LOG.infof("feeding the champions of %s to vLLM at %s", followed, config.url().get());
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        wake.release();
    }

    /** An adapter event arrived: check the followed champions now. */
    public void adapterChanged(String tenant, String adapter) {
        if (enabled() && config.adapters().orElse(List.of()).contains(tenant + "/" + adapter)) {
            wake.release();
        }
    }

    private void sync(Followed f, VllmClient vllm) {
        try {
            ServedVersion champion = registry.resolve(f.tenant(), AdapterRef.champion(f.adapter()));
            switch (decide(champion, loaded.get(f))) {
                case KEEP -> { }
                case SKIP_NOT_LORA -> LOG.warnf("%s's champion v%d is %s: vLLM serves LoRA adapters only", f,
                        champion.version(), champion.method());
                case SKIP_STACKED -> LOG.warnf("%s's champion v%d is stacked on %s: vLLM applies one adapter per"
                        + " request", f, champion.version(), champion.stackedOn());
                case LOAD -> {
                    vllm.load(f.adapter(), files.adapter(champion).dir());
                    loaded.put(f, champion.version());
                    LOG.infof("vLLM serves %s v%d as '%s'", f, champion.version(), f.adapter());
                }
            }
        } catch (IOException | RuntimeException e) { // a ProblemException: no champion yet, the registry down
            LOG.warnf("could not sync %s to vLLM (next try in %s): %s", f, config.syncInterval(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
