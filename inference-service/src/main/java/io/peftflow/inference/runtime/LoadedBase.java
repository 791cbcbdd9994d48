package io.peftflow.inference.runtime;

import io.peftflow.core.generation.SampledGenerator;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.model.Models;
import io.peftflow.core.scoring.LabelScorer;
import io.peftflow.core.tokenizer.Tokenizer;
import io.peftflow.core.tuners.PeftModel;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

/**
 * One base model in memory with the adapters loaded on it, driven by one thread: adapters are switched on the shared
 * base between passes, so passes never interleave. Classify requests for the same adapter version that queue up
 * while a pass runs are scored together in the next one (dynamic batching up to {@code maxBatchInputs}). Adapters
 * are kept least-recently-used within a byte budget; an evicted one is loaded again from its local copy when asked.
 */
final class LoadedBase implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LoadedBase.class);

    /** Work for the base's thread. */
    private sealed interface Task permits Classify, Generate, Stop {
    }

    private record Classify(ModelFiles.StagedAdapter adapter, List<long[]> prompts,
                            CompletableFuture<double[][]> result) implements Task {
    }

    private record Generate(ModelFiles.StagedAdapter adapter, Function<SampledGenerator, SampledGenerator.Finish> run,
                            CompletableFuture<SampledGenerator.Finish> result) implements Task {
    }

    private record Stop() implements Task {
    }

    /** An adapter on the base: its name in the {@link PeftModel} and its label scorer (if it classifies). */
    private record Loaded(String name, long bytes, LabelScorer scorer) {
    }

    private final String name;
    private final CausalLM model;
    private final Tokenizer tokenizer;
    private final PeftModel peft;
    private final long budget;
    private final int maxBatch;
    private final Map<String, Loaded> adapters = new LinkedHashMap<>(16, 0.75f, true);
    private final BlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private long loadedBytes;
    private long nextId;

    LoadedBase(String name, Path dir, long budget, int maxBatch) {
        this.name = name;
        this.model = Models.load(dir, LoadOptions.cpu());
        this.tokenizer = Tokenizer.load(dir);
        this.peft = new PeftModel(model);
        this.budget = budget;
        this.maxBatch = maxBatch;
        this.thread = new Thread(this::loop, "inference-" + name.replace('/', '-'));
        thread.setDaemon(true);
        thread.start();
    }

    Tokenizer tokenizer() {
        return tokenizer;
    }

    /** Positions the base model attends over. */
    int context() {
        return model.config().maxPositions();
    }

    /** Label log-likelihoods {@code [prompts][labels]} under the adapter. */
    CompletableFuture<double[][]> classify(ModelFiles.StagedAdapter adapter, List<long[]> prompts) {
        CompletableFuture<double[][]> result = new CompletableFuture<>();
        queue.add(new Classify(adapter, prompts, result));
        return result;
    }

    /** Runs {@code run} with a generator through the adapter, on the base's thread. */
    CompletableFuture<SampledGenerator.Finish> generate(ModelFiles.StagedAdapter adapter,
                                                        Function<SampledGenerator, SampledGenerator.Finish> run) {
        CompletableFuture<SampledGenerator.Finish> result = new CompletableFuture<>();
        queue.add(new Generate(adapter, run, result));
        return result;
    }

    private void loop() {
        while (true) {
            Task task;
            try {
                task = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (task instanceof Stop) {
                return;
            }
            if (task instanceof Generate g) {
                try {
                    activate(g.adapter());
                    g.result().complete(g.run().apply(new SampledGenerator(peft)));
                } catch (RuntimeException | Error e) {
                    g.result().completeExceptionally(e);
                }
            } else if (task instanceof Classify c) {
                List<Classify> batch = new ArrayList<>(List.of(c));
                int rows = c.prompts().size();
                // Drain what queued meanwhile for the same version: one pass scores all of it.
                for (Iterator<Task> it = queue.iterator(); it.hasNext() && rows < maxBatch; ) {
                    if (it.next() instanceof Classify same && same.adapter().version().equals(c.adapter().version())
                            && rows + same.prompts().size() <= maxBatch) {
                        it.remove();
                        batch.add(same);
                        rows += same.prompts().size();
                    }
                }
                score(batch);
            }
        }
    }

    private void score(List<Classify> batch) {
        try {
            LabelScorer scorer = activate(batch.get(0).adapter()).scorer();
            List<long[]> prompts = new ArrayList<>();
            batch.forEach(c -> prompts.addAll(c.prompts()));
            double[][] all = scorer.logLikelihoods(prompts);
            int from = 0;
            for (Classify c : batch) {
                double[][] mine = new double[c.prompts().size()][];
                System.arraycopy(all, from, mine, 0, mine.length);
                from += mine.length;
                c.result().complete(mine);
            }
        } catch (RuntimeException | Error e) {
            batch.forEach(c -> c.result().completeExceptionally(e));
        }
    }

    /** Makes the version the only active adapter, loading it (and evicting the least recently used) if needed. */
    private Loaded activate(ModelFiles.StagedAdapter staged) {
        String key = staged.version().key();
        Loaded loaded = adapters.get(key);
        if (loaded == null) {
            peft.setActive();
            String id = "a" + nextId++;
            peft.load(staged.dir(), id);
            LabelScorer scorer = staged.labels().classifies()
                    ? new LabelScorer(peft, staged.labels().continuations(tokenizer)) : null;
            loaded = new Loaded(id, staged.bytes(), scorer);
            adapters.put(key, loaded);
            loadedBytes += staged.bytes();
            evict(key);
            LOG.infof("loaded adapter %s on %s (%d adapters, %d bytes)", key, name, adapters.size(), loadedBytes);
        }
        peft.setActive(loaded.name());
        return loaded;
    }

    private void evict(String keep) {
        for (Iterator<Map.Entry<String, Loaded>> it = adapters.entrySet().iterator();
             it.hasNext() && loadedBytes > budget; ) {
            Map.Entry<String, Loaded> e = it.next();
            if (!e.getKey().equals(keep)) {
                peft.remove(e.getValue().name());
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
