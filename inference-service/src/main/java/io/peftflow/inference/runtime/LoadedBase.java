package io.peftflow.inference.runtime;

import ai.djl.pytorch.jni.JniUtils;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.model.Models;
import io.peftflow.core.scoring.LabelScorer;
import io.peftflow.core.scoring.LabelSet;
import io.peftflow.core.tokenizer.Tokenizer;
import io.peftflow.core.tuners.PeftModel;
import io.peftflow.core.tuners.TargetModules;
import io.peftflow.core.tuners.lora.LoraConfig;
import io.peftflow.core.tuners.lora.RowLora;
import io.peftflow.data.PromptTemplate;
import io.peftflow.data.Turn;
import org.jboss.logging.Logger;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One base model in memory with the adapters loaded on it, driven by one thread: adapters are switched on the shared
 * base between passes, so passes never interleave. Classify requests that queue up while a pass runs are scored
 * together next (dynamic batching up to {@code maxBatchInputs}, with a wait window under load: {@link ClassifyWindow}),
 * LoRA versions of the base mixed in one pass.
 * Completions decode together in the {@link Decoder}'s batch, one step at a time between the other passes. Adapters
 * are kept least-recently-used within a byte budget; an evicted one is loaded again from its local copy when asked.
 * Before its first task the thread warms the scoring path up ({@link #warmedUp()}).
 */
final class LoadedBase implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LoadedBase.class);

    /** Work for the base's thread. */
    private sealed interface Task permits Classify, Generate, Prepare, Stop {
    }

    private record Classify(ModelFiles.StagedStack adapter, List<long[]> prompts, long queuedNanos,
                            CompletableFuture<double[][]> result) implements Task {
    }

    private record Generate(Decoder.Request request) implements Task {
    }

    private record Prepare(ModelFiles.StagedStack adapter, CompletableFuture<Void> done) implements Task {
    }

    private record Stop() implements Task {
    }

    /** What the warm-up ran before the base took its first task: classify passes, in how long. */
    record WarmUp(int passes, Duration took) {
    }

    /**
     * Rounds of warm-up passes at least. In a fresh JVM a pass costs 1.5-2x its warm time for about its first 100
     * passes (the JIT compiling the scoring path; docs/BENCHMARKS.md, classify warm-up).
     */
    private static final int MIN_WARM_UP_ROUNDS = 40;
    /** After those, the warm-up goes on while the JIT compiled for a tenth or more of the last such window. */
    private static final long JIT_WINDOW_NANOS = 500_000_000L;
    /** The warm-up's labels: eight labels of one to three tokens, as a small classifier's. */
    private static final LabelSet WARM_UP_LABELS = new LabelSet(PromptTemplate.RAW, " ",
            List.of("yes", "no", "maybe", "positive", "negative", "neutral", "other", "unknown"));
    private static final String WARM_UP_ADAPTER = "warm-up-";

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
    private final BlockingDeque<Task> queue = new LinkedBlockingDeque<>();
    private final ClassifyWindow classifyWindow;
    private final Decoder decoder;
    private final Duration warmUpBudget;
    private final CompletableFuture<WarmUp> warmedUp = new CompletableFuture<>();
    private final Thread thread;
    private long loadedBytes;
    private long nextId;

    /** {@code warmUp}: how long the warm-up may run at most (zero: none). */
    LoadedBase(String name, Path dir, LoadOptions options, long budget, int maxBatch, Duration classifyWait,
               int torchThreads, int maxDecodingBatch, Duration decodingWait, Duration warmUp) {
        this.name = name;
        this.model = Models.load(dir, options);
        this.tokenizer = Tokenizer.load(dir);
        this.peft = new PeftModel(model);
        this.budget = budget;
        this.maxBatch = maxBatch;
        this.classifyWindow = new ClassifyWindow(classifyWait.toNanos(), maxBatch);
        this.torchThreads = torchThreads;
        this.decoder = new Decoder(this, peft, maxDecodingBatch, decodingWait.toNanos());
        this.warmUpBudget = warmUp;
        this.thread = new Thread(this::loop, "inference-" + name.replace('/', '-'));
        thread.setDaemon(true);
        thread.start();
    }

    String name() {
        return name;
    }

    /** Completes once the warm-up has run; tasks queued before then wait for it. */
    CompletableFuture<WarmUp> warmedUp() {
        return warmedUp;
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
        queue.add(new Classify(adapter, prompts, System.nanoTime(), result));
        return result;
    }

    /**
     * Loads the version (if it is not) and, if it classifies, scores one prompt over its labels: what a version's first
     * request would otherwise pay (its weights loaded and packed, its labels tokenized, its scorer made).
     */
    CompletableFuture<Void> prepare(ModelFiles.StagedStack adapter) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(new Prepare(adapter, done));
        return done;
    }

    /** Decodes the request's completion in the base's decoding batch (its sequence hears how it goes). */
    void generate(Decoder.Request request) {
        queue.add(new Generate(request));
    }

    private void loop() {
        // OpenMP's thread count is per calling thread: set on the thread that runs every pass.
        JniUtils.setNumThreads(torchThreads);
        warmedUp.complete(warmUp());
        while (true) {
            Task task;
            List<Classify> batch;
            try {
                // idle: block for work; decoding: take what came between two steps; about to decode: its wait window
                task = decoder.idle() ? queue.take() : queue.poll(decoder.waitNanos(), TimeUnit.NANOSECONDS);
                batch = task instanceof Classify c ? classifyBatch(c) : null;
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
            } else if (task instanceof Prepare p) {
                decoder.suspend();
                prepare(p);
            } else if (batch != null) {
                decoder.suspend();
                long started = System.nanoTime();
                score(batch);
                classifyWindow.passed(rows(batch), started, System.nanoTime(), queuedClassifyRows());
            }
            if (decoder.waitNanos() == 0) {
                decoder.step();
            }
        }
    }

    /**
     * Classify passes on two throw-away LoRA adapters (rank 8 on every Linear): a first round at the batch sizes the
     * dynamic batcher forms (powers of two up to {@code maxBatch}: a new size costs no more than a seen one once the JIT
     * is warm), then rounds of sizes 1, 2 and 4, each round ending with a mixed-adapter pass: at least
     * {@value #MIN_WARM_UP_ROUNDS} rounds, then on until the JIT is quiet (the compilations the passes queued are done:
     * in a fresh Quarkus JVM on 2 cores they trail the passes by seconds) or the budget is spent (checked before every
     * pass, so it overruns by one pass at most). On this thread: PyTorch's settings are per thread. A fresh JVM's first
     * passes pay for TorchScript's compile and the JIT; after this the first requests find the scoring path warm. A
     * failure is logged, not fatal: requests then meet the path as it is.
     */
    private WarmUp warmUp() {
        long start = System.nanoTime();
        long budget = warmUpBudget.toNanos();
        if (budget <= 0) {
            return new WarmUp(0, Duration.ZERO);
        }
        List<String> names = List.of(WARM_UP_ADAPTER + "a", WARM_UP_ADAPTER + "b");
        int passes = 0;
        try {
            for (String n : names) {
                peft.add(n, new LoraConfig(8, 16, TargetModules.allLinear()), names.indexOf(n));
                peft.freeze(n);
            }
            List<long[]> labels = WARM_UP_LABELS.continuations(tokenizer);
            LabelScorer scorer = new LabelScorer(peft, labels);
            List<long[]> prompts = new ArrayList<>();
            for (int i = 0; i < maxBatch; i++) {
                // prompts of 4 to 19 words: rows of one pass differ in length, as live requests do
                prompts.add(WARM_UP_LABELS.promptIds(tokenizer,
                        List.of(new Turn(Turn.USER, "warm-up input " + "word ".repeat(1 + i % 16) + i))));
            }
            List<LabelScorer.Query> mixed = new ArrayList<>();
            for (int i = 0; i < prompts.size(); i++) {
                mixed.add(new LabelScorer.Query(prompts.get(i), labels, i % 2));
            }
            long deadline = start + budget;
            CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
            boolean jitTimed = jit != null && jit.isCompilationTimeMonitoringSupported();
            long windowStart = System.nanoTime();
            long windowJit = jitTimed ? jit.getTotalCompilationTime() : 0;
            warming:
            for (int round = 0; ; round++) {
                // every batch size once, then small passes: more calls a second for the JIT to count
                int largest = round == 0 ? maxBatch : Math.min(4, maxBatch);
                for (int rows = 1; ; rows = Math.min(2 * rows, largest)) {
                    if (System.nanoTime() - deadline >= 0) {
                        break warming;
                    }
                    peft.setActive(names.get(0));
                    scorer.logLikelihoods(prompts.subList(0, rows));
                    passes++;
                    if (rows == largest) {
                        break;
                    }
                }
                if (System.nanoTime() - deadline >= 0) {
                    break;
                }
                peft.setActive();
                try (RowLora rows = RowLora.attach(peft, names)) {
                    LabelScorer.logLikelihoods(peft, mixed.subList(0, largest), rows);
                }
                passes++;
                long now = System.nanoTime();
                if (round + 1 >= MIN_WARM_UP_ROUNDS && (!jitTimed || now - windowStart >= JIT_WINDOW_NANOS)) {
                    long compiled = jitTimed ? jit.getTotalCompilationTime() - windowJit : 0;
                    if (compiled * 1_000_000 * 10 < now - windowStart) {
                        break; // the JIT spent under a tenth of the last window compiling: the path is compiled
                    }
                    windowStart = now;
                    windowJit += compiled;
                }
            }
        } catch (RuntimeException | Error e) {
            LOG.warnf(e, "warm-up of %s failed after %d passes; serving without it", name, passes);
        } finally {
            peft.setActive();
            names.stream().filter(peft.adapterNames()::contains).forEach(peft::remove);
        }
        return new WarmUp(passes, Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * The requests one classify pass scores: {@code first}, the classify requests queued meanwhile (whatever their
     * version: one pass scores them), and, while nothing decodes, those arriving within {@link ClassifyWindow}'s wait.
     */
    private List<Classify> classifyBatch(Classify first) throws InterruptedException {
        List<Classify> batch = new ArrayList<>(List.of(first));
        int rows = first.prompts().size();
        for (Iterator<Task> it = queue.iterator(); it.hasNext() && rows < maxBatch; ) {
            if (it.next() instanceof Classify more && rows + more.prompts().size() <= maxBatch) {
                it.remove();
                batch.add(more);
                rows += more.prompts().size();
            }
        }
        int wanted = decoder.idle() ? classifyWindow.rows(first.queuedNanos()) : 0;
        long deadline = classifyWindow.deadline(System.nanoTime());
        while (rows < wanted) {
            Task next = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            if (!(next instanceof Classify more) || rows + more.prompts().size() > maxBatch) {
                queue.putFirst(next); // other work, or too many rows: it goes next
                break;
            }
            batch.add(more);
            rows += more.prompts().size();
        }
        return batch;
    }

    private static int rows(List<Classify> requests) {
        return requests.stream().mapToInt(c -> c.prompts().size()).sum();
    }

    /** Rows of the classify requests waiting in the queue (counted where they are: no copy of the queue per pass). */
    private int queuedClassifyRows() {
        return queue.stream().mapToInt(t -> t instanceof Classify c ? c.prompts().size() : 0).sum();
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

    private void prepare(Prepare p) {
        try {
            Loaded loaded = load(p.adapter());
            evict(Set.of(p.adapter().key()));
            if (loaded.scorer() != null) {
                peft.setActive(loaded.names().toArray(String[]::new));
                loaded.scorer().logLikelihoods(List.of(p.adapter().labels().promptIds(tokenizer,
                        List.of(new Turn(Turn.USER, "warm-up input")))));
            }
            p.done().complete(null);
        } catch (RuntimeException | Error e) {
            p.done().completeExceptionally(e);
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
