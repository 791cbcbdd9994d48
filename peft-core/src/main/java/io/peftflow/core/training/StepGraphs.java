package io.peftflow.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.data.Batch;
import io.peftflow.core.data.Sequence;
import io.peftflow.core.nn.CudaGraph;
import io.peftflow.core.nn.Kernels;
import io.peftflow.core.training.optim.AdamW;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A training step on CUDA as one CUDA graph per batch shape: a shape's first step runs as it is written (eager), its
 * second is captured and replayed, and every later step of that shape copies its batch into the graph's input arrays
 * and replays. Why: the step's ~1,200 kernels are issued by the host faster than TinyLlama's GPU work only in part,
 * leaving the GPU idle ~6 ms of a 49 ms step on an H100 (docs/BENCHMARKS.md, issue 25); a replay is one launch.
 *
 * <p>What a replay reads that changes between steps lives in arrays alive for the graphs' life: the batch (copied in
 * place), the loss factor, the learning rate and the unscale (filled before the step: {@link AdamW#schedule}); the
 * parameters and the optimizer's moments and step count are updated in place as eagerly. Only steps of one
 * micro-batch through the layers' own backward ({@link StepBody.Result#capturable}) are captured; the rest run eagerly,
 * as do all steps after a failed capture (logged once) and shapes beyond {@link #MAX_GRAPHS}.
 */
final class StepGraphs implements AutoCloseable {
    /** {@code -Dpeftflow.train.cudaGraphs=false} runs every step eagerly (A/B measurements). */
    static final String PROPERTY = "peftflow.train.cudaGraphs";
    /**
     * Shapes with a graph at most (their memory comes from one pool, the largest step's intermediates; each keeps its
     * input arrays): length-bucketed data has a few dozen batch lengths.
     */
    static final int MAX_GRAPHS = 64;
    private static final Logger LOG = LoggerFactory.getLogger(StepGraphs.class);

    /** One step's work on its batches: the loss and gradients, the statistics and the queued update. */
    interface StepBody {
        /**
         * @param capturable whether the step ran only work a graph can replay (the layers' own backward)
         */
        record Result(AdamW.StepStats stats, boolean capturable) {
        }

        Result run(List<Batch> batches, NDManager scope);
    }

    /**
     * A captured shape: its graph, the arrays its replays read the batch from, and the statistics they write (all in a
     * sub-manager of {@link #manager}, closed with it).
     */
    private record Captured(CudaGraph graph, Batch inputs, AdamW.StepStats stats) {
    }

    private final NDManager manager;
    private final long padId;
    private final Map<Shape, Captured> graphs = new HashMap<>();
    private final Map<Shape, Integer> eagerSteps = new HashMap<>();
    /** The first graph: the others allocate from its memory pool (they replay one at a time). */
    private CudaGraph pool;
    private boolean capturable = true;
    private int replays;

    private StepGraphs(NDManager parent, long padId) {
        this.manager = parent.newSubManager();
        this.padId = padId;
    }

    /**
     * Graphs for a run on {@code parent}'s device, or null where they do not apply (CPU, off, no library, more than one
     * micro-batch a step).
     */
    static StepGraphs forRun(NDManager parent, TrainingConfig config, long padId) {
        boolean wanted = !"false".equals(System.getProperty(PROPERTY)) && parent.getDevice().isGpu()
                && config.gradientAccumulation() == 1 && CudaGraph.available();
        return wanted ? new StepGraphs(parent, padId) : null;
    }

    /** Runs one step on {@code batch}: replayed, captured or eager; the statistics the host reads. */
    AdamW.StepStats step(List<Sequence> batch, NDManager scope, StepBody body) {
        Shape shape = Batch.shape(batch);
        Captured c = graphs.get(shape);
        if (c != null) {
            try (NDManager staging = manager.newSubManager()) {
                Batch b = Batch.collate(batch, padId, staging);
                Kernels.copy(List.of(c.inputs().ids(), c.inputs().mask(), c.inputs().labels()),
                        List.of(b.ids(), b.mask(), b.labels()));
            }
            c.graph().replay();
            replays++;
            return c.stats();
        }
        if (capturable && graphs.size() < MAX_GRAPHS && eagerSteps.getOrDefault(shape, 0) > 0) {
            try {
                return capture(shape, batch, body).stats();
            } catch (PeftCoreException e) {
                capturable = false;
                LOG.warn("training steps run without CUDA graphs from here on: {}", e.getMessage());
            }
        }
        StepBody.Result r = body.run(List.of(Batch.collate(batch, padId, scope)), scope);
        capturable &= r.capturable();
        eagerSteps.merge(shape, 1, Integer::sum);
        return r.stats();
    }

    /** Captures {@code body} on a batch collated into arrays the graph keeps, then replays it once (capture runs none). */
    private Captured capture(Shape shape, List<Sequence> batch, StepBody body) {
        NDManager owner = manager.newSubManager();
        try {
            Batch inputs = Batch.collate(batch, padId, owner);
            // The eager steps' cached blocks go back to the driver: the graph's pool would otherwise sit beside them,
            // and the run's peak memory would be both.
            JniUtils.emptyCudaCache();
            StepBody.Result[] result = new StepBody.Result[1];
            CudaGraph graph;
            try (NDManager scope = manager.newSubManager()) {
                graph = CudaGraph.capture(pool, () -> {
                    result[0] = body.run(List.of(inputs), scope);
                    if (!result[0].capturable()) {
                        throw new PeftCoreException("the step does not run the layers' own backward");
                    }
                });
                // kept: the replays write them; the rest of the capture's arrays go back to the graph's pool
                for (NDArray a : List.of(result[0].stats().lossAndNorm(), result[0].stats().gradScale(),
                        result[0].stats().foundInf())) {
                    a.attach(owner);
                }
            }
            try {
                graph.replay();
            } catch (RuntimeException e) {
                graph.close();
                throw e;
            }
            Captured c = new Captured(graph, inputs, result[0].stats());
            graphs.put(shape, c);
            if (pool == null) {
                pool = graph;
            }
            return c;
        } catch (RuntimeException e) {
            owner.close();
            throw e;
        }
    }

    /** Frees every graph, its pool and its arrays. */
    @Override
    public void close() {
        LOG.info("training steps: {} shapes captured as CUDA graphs, {} replays after their capture, {} eager steps",
                graphs.size(), replays, eagerSteps.values().stream().mapToInt(Integer::intValue).sum());
        for (Captured c : graphs.values()) {
            c.graph().close();
        }
        graphs.clear();
        manager.close();
    }
}
