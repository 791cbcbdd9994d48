package io.peftflow.inference.runtime;

import ai.djl.pytorch.jni.JniUtils;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.model.Models;
import io.peftflow.core.scoring.LabelScorer;
import io.peftflow.core.tokenizer.Tokenizer;
import io.peftflow.core.tuners.PeftModel;
import io.peftflow.core.tuners.lora.RowLora;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One base model in memory with the adapters loaded on it, driven by one thread: adapters are switched on the shared
 * base between passes, so passes never interleave. Classify requests that queue up while a pass runs are scored
 * together next (dynamic batching up to {@code maxBatchInputs}), LoRA versions of the base mixed in one pass.
 * Completions decode together in the {@link Decoder}'s batch, one step at a time between the other passes. Adapters
 * are kept least-recently-used within a byte budget; an evicted one is loaded again from its local copy when asked.
 */
final class LoadedBase implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LoadedBase.class);

    /** Work for the base's thread. */
    private sealed interface Task permits Classify, Generate, Stop {
    }

    private record Classify(ModelFiles.StagedStack adapter, List<long[]> prompts,
                            CompletableFuture<double[][]> result) implements Task {
    }

    private record Generate(Decoder.Request request) implements Task {
    }

    private record Stop() implements Task {
    }

    /**
     * A version or stack on the base: its layers' names in the {@link PeftModel} (in stack order), its label scorer (if
     * it classifies) and whether it can share a pass with other adapters (one layer, {@link RowLora#mixable}).
     */
    record Loaded(List<String> names, long bytes, LabelScorer scorer, boolean mixable) {
    }

    private final String name;
    private final CausalLM model;
    private final Tokenizer tokenizer;
    private final PeftModel peft;
    private final long budget;
    private final int maxBatch;
    private final int torchThreads;
    private final Map<String, Loaded> adapters = new LinkedHashMap<>(16, 0.75f, true);
    /** Each classifying version's label tokens by its key, tokenized once: every classify request reads them. */
    private final Map<String, List<long[]>> labelTokens = new ConcurrentHashMap<>();
    private final BlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    private final Decoder decoder;
    private final Thread thread;
    private long loadedBytes;
    private long nextId;

    LoadedBase(String name, Path dir, LoadOptions options, long budget, int maxBatch, int torchThreads,
               int maxDecodingBatch, Duration decodingWait) {
        this.name = name;
        this.model = Models.load(dir, options);
        this.tokenizer = Tokenizer.load(dir);
        this.peft = new PeftModel(model);
        this.budget = budget;
        this.maxBatch = maxBatch;
        this.torchThreads = torchThreads;
        this.decoder = new Decoder(this, peft, maxDecodingBatch, decodingWait.toNanos());
        this.thread = new Thread(this::loop, "inference-" + name.replace('/', '-'));
        thread.setDaemon(true);
        thread.start();
    }

    String name() {
        return name;
    }

    Tokenizer tokenizer() {
        return tokenizer;
    }

    /** Positions the base model attends over. */
    int context() {
        return model.config().maxPositions();
    }

    /** The positions a prompt and a label may span together when classifying. */
    int scoringPositions() {
        return LabelScorer.positions(model.config());
    }

    /** The version's labels as tokens ({@link io.peftflow.core.scoring.LabelSet#continuations}), tokenized on first use. */
    List<long[]> labelTokens(ModelFiles.StagedStack staged) {
        return labelTokens.computeIfAbsent(staged.key(), k -> staged.labels().continuations(tokenizer));
    }

    /** Label log-likelihoods {@code [prompts][labels]} under the adapter. */
    CompletableFuture<double[][]> classify(ModelFiles.StagedStack adapter, List<long[]> prompts) {
        CompletableFuture<double[][]> result = new CompletableFuture<>();
        queue.add(new Classify(adapter, prompts, result));
        return result;
    }

    /** Decodes the request's completion in the base's decoding batch (its sequence hears how it goes). */
    void generate(Decoder.Request request) {
        queue.add(new Generate(request));
    }

    private void loop() {
        // OpenMP's thread count is per calling thread: set on the thread that runs every pass.
        JniUtils.setNumThreads(torchThreads);
        while (true) {
            Task task;
            try {
                // idle: block for work; decoding: take what came between two steps; about to decode: its wait window
                task = decoder.idle() ? queue.take() : queue.poll(decoder.waitNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                decoder.close();
                return;
            }
            if (task instanceof Stop) {
                decoder.close();
                return;
            }
            if (task instanceof Generate g) {
                decoder.add(g.request());
                // every completion that queued meanwhile may join the same step
                for (Iterator<Task> it = queue.iterator(); it.hasNext(); ) {
                    if (it.next() instanceof Generate more) {
                        it.remove();
                        decoder.add(more.request());
                    }
                }
            } else if (task instanceof Classify c) {
                List<Classify> batch = new ArrayList<>(List.of(c));
                int rows = c.prompts().size();
                // Drain the classify requests that queued meanwhile, whatever their version: one pass scores them.
                for (Iterator<Task> it = queue.iterator(); it.hasNext() && rows < maxBatch; ) {
                    if (it.next() instanceof Classify more && rows + more.prompts().size() <= maxBatch) {
                        it.remove();
                        batch.add(more);
                        rows += more.prompts().size();
                    }
                }
                decoder.suspend();
                score(batch);
            }
            if (decoder.waitNanos() == 0) {
                decoder.step();
            }
        }
    }

    /**
     * Scores a batch of classify requests: the versions that are plain LoRA adapters share one pass, each row through
     * its own adapter ({@link RowLora}); every other adapter (bottleneck, prompt tuning, LoRA with modules_to_save)
     * gets a pass of its own rows.
     */
    private void score(List<Classify> batch) {
        Map<String, List<Classify>> byVersion = new LinkedHashMap<>();
        batch.forEach(c -> byVersion.computeIfAbsent(c.adapter().key(), k -> new ArrayList<>()).add(c));
        Map<String, Loaded> loaded = new LinkedHashMap<>();
        for (Map.Entry<String, List<Classify>> e : byVersion.entrySet()) {
            try {
                loaded.put(e.getKey(), load(e.getValue().get(0).adapter()));
            } catch (RuntimeException | Error x) {
                e.getValue().forEach(c -> c.result().completeExceptionally(x));
            }
        }
        evict(loaded.keySet());
        List<String> mixable = loaded.entrySet().stream().filter(e -> e.getValue().mixable()).map(Map.Entry::getKey)
                .toList();
        List<String> mixed = mixable.size() < 2 ? List.of() : mixable;
        if (!mixed.isEmpty()) {
            List<Classify> requests = new ArrayList<>();
            List<LabelScorer.Query> queries = new ArrayList<>();
            for (int i = 0; i < mixed.size(); i++) {
                List<long[]> labels = loaded.get(mixed.get(i)).scorer().continuations();
                for (Classify c : byVersion.get(mixed.get(i))) {
                    requests.add(c);
                    for (long[] prompt : c.prompts()) {
                        queries.add(new LabelScorer.Query(prompt, labels, i));
                    }
                }
            }
            LOG.debugf("mixed-adapter pass on %s: %d adapters, %d inputs", name, mixed.size(), queries.size());
            complete(requests, () -> {
                peft.setActive();
                try (RowLora rows = RowLora.attach(peft, mixed.stream().map(k -> loaded.get(k).names().get(0)).toList())) {
                    return LabelScorer.logLikelihoods(peft, queries, rows);
                }
            });
        }
        for (Map.Entry<String, Loaded> e : loaded.entrySet()) {
            if (!mixed.contains(e.getKey())) {
                List<Classify> requests = byVersion.get(e.getKey());
                complete(requests, () -> {
                    peft.setActive(e.getValue().names().toArray(String[]::new));
                    return e.getValue().scorer().logLikelihoods(
                            requests.stream().flatMap(c -> c.prompts().stream()).toList());
                });
            }
        }
    }

    /** Runs one pass over the requests' prompts (in order) and hands each request its rows. */
    private static void complete(List<Classify> requests, Supplier<double[][]> pass) {
        try {
            double[][] all = pass.get();
            int from = 0;
            for (Classify c : requests) {
                double[][] mine = new double[c.prompts().size()][];
                System.arraycopy(all, from, mine, 0, mine.length);
                from += mine.length;
                c.result().complete(mine);
            }
        } catch (RuntimeException | Error e) {
            requests.forEach(c -> c.result().completeExceptionally(e));
        }
    }

    /**
     * The version on the base (loaded now if it is not), inactive. A stack's layers are loaded together, in order, as
     * adapters of their own: the model applies active adapters in the order they were added.
     */
    Loaded load(ModelFiles.StagedStack staged) {
        String key = staged.key();
        Loaded loaded = adapters.get(key);
        if (loaded == null) {
            peft.setActive();
            List<String> names = new ArrayList<>();
            try {
                for (ModelFiles.StagedAdapter layer : staged.layers()) {
                    String id = "a" + nextId++;
                    peft.load(layer.dir(), id);
                    // served weights never train: a trainable adapter would have every request's forward record an
                    // autograd graph over its weights (the kernels run with grad mode on), held as long as the outputs
                    peft.freeze(id);
                    names.add(id);
                }
            } catch (RuntimeException e) {
                names.forEach(peft::remove);
                throw e;
            }
            LabelScorer scorer = staged.labels().classifies() ? new LabelScorer(peft, labelTokens(staged)) : null;
            loaded = new Loaded(names, staged.bytes(), scorer,
                    names.size() == 1 && RowLora.mixable(peft.adapter(names.get(0))));
            adapters.put(key, loaded);
            loadedBytes += staged.bytes();
            LOG.infof("loaded adapter %s on %s (%d adapters, %d bytes)", key, name, adapters.size(), loadedBytes);
        }
        return loaded;
    }

    /**
     * Unloads the least recently used adapters, except {@code keep} and those of the decoding batch, until the loaded
     * ones fit the budget.
     */
    void evict(Set<String> keep) {
        for (Iterator<Map.Entry<String, Loaded>> it = adapters.entrySet().iterator();
             it.hasNext() && loadedBytes > budget; ) {
            Map.Entry<String, Loaded> e = it.next();
            if (!keep.contains(e.getKey()) && !decoder.uses(e.getKey())) {
                e.getValue().names().forEach(peft::remove);
                labelTokens.remove(e.getKey());
                loadedBytes -= e.getValue().bytes();
                it.remove();
            }
        }
    }

    @Override
    public void close() {
        queue.add(new Stop());
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tokenizer.close();
        model.close();
    }
}
