package io.peftflow.core.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.evaluation.Evaluator;
import io.peftflow.core.evaluation.LossMetrics;
import io.peftflow.core.nn.Kernels;
import io.peftflow.core.training.TrainerCheckpoint.TrainerState;
import io.peftflow.core.data.Batch;
import io.peftflow.core.data.EncodedDataset;
import io.peftflow.core.data.LengthBatcher;
import io.peftflow.core.data.Sequence;
import io.peftflow.core.training.optim.AdamW;
import io.peftflow.core.training.optim.LossScaler;
import io.peftflow.core.training.optim.LrSchedule;
import io.peftflow.core.tuners.ClassificationHead;
import io.peftflow.core.tuners.PeftModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Trains the active adapters of a {@link PeftModel} on tokenised sequences: length-bucketed batches in a seeded
 * order, gradient accumulation normalised by labelled tokens, global-norm clipping, AdamW with warmup and decay,
 * dynamic loss scaling when the base is fp16, evaluation and early stopping, the best evaluation's weights at the
 * end, cancellation, and checkpoints from which {@link #resume} continues with the same loss curve as an
 * uninterrupted run.
 *
 * <p>The loss follows the data: next-token cross-entropy for causal-LM data, or, for class-labelled data
 * ({@link io.peftflow.core.data.SequenceEncoder#encodeClasses}), cross-entropy of the active
 * {@link ClassificationHead}'s logits, normalised by the sequences of an update; the other active adapters train
 * through the head (PEFT's {@code SEQ_CLS}).
 *
 * <pre>{@code
 * Trainer t = new Trainer(peft, config, tokenizer.padId().orElse(0L))
 *         .listener(progress -> log(progress)).cancellation(flag::get).checkpoints(dir);
 * TrainResult r = t.train(train, validation);       // or t.resume(dir, train, validation)
 * }</pre>
 */
public final class Trainer {
    /** Overflowing fp16 steps in a row (or NaN fp32 losses) after which training stops with an error. */
    static final int MAX_CONSECUTIVE_SKIPS = 25;
    /** The system property that selects autograd for every model: {@code -Dpeftflow.backward=autograd}. */
    public static final String BACKWARD_PROPERTY = "peftflow.backward";

    private final PeftModel model;
    private final TrainingConfig config;
    private final long padId;
    private TrainingListener listener = TrainingListener.NONE;
    private BooleanSupplier cancelled = () -> false;
    private Path checkpointDir;
    /**
     * Where the model qualifies (Llama, one LoRA adapter, no dropout; {@link PeftModel#layerGradients}), the layers'
     * hand-written backward passes instead of autograd, unless {@link #BACKWARD_PROPERTY} is {@code autograd} (for A/B
     * measurements, docs/BENCHMARKS.md).
     */
    private final boolean layerBackward = !"autograd".equals(System.getProperty(BACKWARD_PROPERTY, "layers"));

    public Trainer(PeftModel model, TrainingConfig config, long padId) {
        this.model = model;
        this.config = config;
        this.padId = padId;
    }

    public Trainer listener(TrainingListener l) {
        this.listener = l;
        return this;
    }

    /** Checked before every update; when true the run ends (status CANCELLED) after writing a checkpoint. */
    public Trainer cancellation(BooleanSupplier flag) {
        this.cancelled = flag;
        return this;
    }

    /** Where periodic ({@link TrainingConfig#checkpointEvery()}) and final checkpoints go; null for none. */
    public Trainer checkpoints(Path dir) {
        this.checkpointDir = dir;
        return this;
    }

    /** A fresh run; {@code eval} may be null (no evaluation, no early stopping, no best weights to restore). */
    public TrainResult train(EncodedDataset train, EncodedDataset eval) {
        TrainerState start = new TrainerState(0, 0, 0, config.initialLossScale(), 0, 0, Double.MAX_VALUE, 0, 0, 0,
                0, List.of(), List.of(), fingerprint(train), config);
        return run(train, eval, start, null);
    }

    /**
     * Continues from a checkpoint written by this trainer on the same data and config ({@code restoreBestWeights}
     * may differ: it does not change the steps, only what the run ends on). The best weights so far come back from
     * the checkpoint, so a resumed run ends on the same weights as an uninterrupted one.
     */
    public TrainResult resume(Path checkpoint, EncodedDataset train, EncodedDataset eval) {
        TrainerState state = TrainerCheckpoint.readState(checkpoint);
        if (state.dataFingerprint() != fingerprint(train)) {
            throw new PeftCoreException("checkpoint was made on different training data", checkpoint, null);
        }
        if (!state.config().toBuilder().restoreBestWeights(config.restoreBestWeights()).build().equals(config)) {
            throw new PeftCoreException("checkpoint was made with another training config: " + state.config(),
                    checkpoint, null);
        }
        return run(train, eval, state, checkpoint);
    }

    private TrainResult run(EncodedDataset train, EncodedDataset eval, TrainerState s, Path restoreFrom) {
        ClassificationHead head = Evaluator.headFor(model, train).orElse(null);
        if (eval != null && !eval.classLabels().equals(train.classLabels())) {
            throw new PeftCoreException("evaluation data has class labels " + eval.classLabels()
                    + " but the training data has " + train.classLabels() + " (encode both with one label list)");
        }
        NDManager pm = model.base().manager();
        try (TrainingSlot slot = TrainingSlot.acquire("Trainer")) {
            Engine.getInstance().setRandomSeed((int) config.seed());
            LossScaler scaler = new LossScaler(model.base().dtype() == DataType.FLOAT16, config.initialLossScale(),
                    config.lossScaleGrowthInterval());
            try (AdamW opt = new AdamW(model.trainableParameters(), config.beta1(), config.beta2(), config.eps(),
                    config.weightDecay(), pm);
                 BestWeights best = new BestWeights(opt.parameters(), pm, config.restoreBestWeights())) {
                if (restoreFrom != null) {
                    TrainerCheckpoint.restore(restoreFrom, s, opt, pm);
                    scaler.restore(s.lossScale(), s.goodSteps());
                    best.load(restoreFrom, s.bestStep());
                }
                return run(train, eval, s, head, opt, scaler, best);
            }
        }
    }

    private TrainResult run(EncodedDataset train, EncodedDataset eval, TrainerState s, ClassificationHead head,
                            AdamW opt, LossScaler scaler, BestWeights best) {
        NDManager pm = model.base().manager();
        LengthBatcher batcher = new LengthBatcher(train.sequences(), config.batchSize(), config.bucketBatches(),
                config.seed());
        int total = config.totalSteps(batcher.batchesPerEpoch());
        LrSchedule schedule = new LrSchedule(config.schedule(), config.learningRate(), config.warmupSteps(), total);
        Loop loop = new Loop(s, batcher);
        long started = System.nanoTime();
        long tokensThisRun = 0;
        int consecutiveSkips = 0;
        TrainResult.Status status = TrainResult.Status.COMPLETED;
        model.train(true);
        try (NDManager runScope = pm.newSubManager(); StepGraphs graphs = StepGraphs.forRun(pm, config, padId)) {
            // what the loss is multiplied by: the loss scale over the update's labelled tokens (or sequences)
            NDArray factor = runScope.zeros(new Shape(), DataType.FLOAT32);
            while (loop.step < total) {
                if (cancelled.getAsBoolean()) {
                    status = TrainResult.Status.CANCELLED;
                    break;
                }
                // Dropout draws from the engine RNG: re-seeding per step makes a resumed run draw the same masks.
                Engine.getInstance().setRandomSeed((int) (config.seed() * 7919 + loop.step));
                List<List<Sequence>> micro = loop.nextMicroBatches(config.gradientAccumulation());
                // What the update's loss is a mean over: labelled tokens, or sequences for classification.
                long labelled = 0;
                for (List<Sequence> mb : micro) {
                    for (Sequence q : mb) {
                        labelled += head != null ? 1 : q.lossTokens(model.virtualTokens());
                    }
                }
                long tokens = 0;
                for (List<Sequence> mb : micro) {
                    tokens += Batch.tokens(mb);
                }
                double loss;
                float norm;
                double lr = schedule.at(loop.step);
                boolean finite;
                try (NDManager stepScope = pm.newSubManager()) {
                    // The step's scalars change in place, queued before its work: a replayed graph reads them too.
                    Kernels.fill(factor, scaler.scale() / Math.max(1, labelled));
                    opt.schedule(lr, 1f / scaler.scale());
                    StepGraphs.StepBody body = (batches, scope) -> update(micro, batches, head, factor, opt, scope);
                    AdamW.StepStats stats = graphs != null ? graphs.step(micro.get(0), stepScope, body)
                            : body.run(micro.stream().map(mb -> Batch.collate(mb, padId, stepScope)).toList(),
                                    stepScope).stats();
                    float[] read = stats.read();
                    loss = read[0] / Math.max(1, labelled);
                    norm = Double.isFinite(loss) ? read[1] : Float.NaN;
                    finite = Float.isFinite(norm);
                    if (scaler.update(finite)) {
                        opt.applied();
                        consecutiveSkips = 0;
                    } else {
                        // the device skipped the update (found_inf)
                        loop.skipped++;
                        if (!scaler.enabled() || ++consecutiveSkips >= MAX_CONSECUTIVE_SKIPS) {
                            throw new PeftCoreException(String.format(java.util.Locale.ROOT,
                                    "training diverged at step %d (epoch %d): loss %s, gradient norm %s%s; lower the"
                                            + " learning rate or check the data", loop.step + 1, loop.epoch, loss,
                                    norm, scaler.enabled() ? " for " + consecutiveSkips
                                            + " fp16 steps in a row (loss scale " + scaler.scale() + ")"
                                            + (Double.isFinite(loss) ? "" : "; a non-finite fp16 loss is an overflow"
                                            + " in the float16 forward, which loss scaling cannot fix: load the base"
                                            + " model in FLOAT32 (new LoadOptions(device, DataType.FLOAT32))") : ""));
                        }
                    }
                }
                loop.step++;
                if (finite) {
                    // A skipped fp16 step trained nothing: its tokens do not count toward throughput.
                    loop.tokens += tokens;
                    tokensThisRun += tokens;
                }
                loop.losses.add(loss);
                double secs = (System.nanoTime() - started) / 1e9;
                listener.onStep(new StepProgress(loop.step, total, loop.epoch, loss, lr, norm, scaler.scale(),
                        !finite, tokensThisRun / Math.max(secs, 1e-9),
                        secs / (loop.step - s.step()) * (total - loop.step)));
                boolean last = loop.step == total;
                if (eval != null && (config.evalEvery() > 0 && loop.step % config.evalEvery() == 0 || last)) {
                    if (evaluate(eval, loop, best)) {
                        status = TrainResult.Status.EARLY_STOPPED;
                        break;
                    }
                }
                if (checkpointDir != null && config.checkpointEvery() > 0 && loop.step % config.checkpointEvery() == 0
                        && !last) {
                    save(loop, scaler, opt, best);
                }
            }
        } finally {
            model.train(false);
        }
        if (checkpointDir != null) {
            // Before restoring: the checkpoint keeps the last weights, which resuming continues from.
            save(loop, scaler, opt, best);
        }
        // A cancelled run keeps its last weights: it is meant to be resumed, not used.
        int weightsStep = status != TrainResult.Status.CANCELLED && best.step() != loop.step && best.restore()
                ? best.step() : loop.step;
        double seconds = (System.nanoTime() - started) / 1e9;
        return new TrainResult(status, loop.step, loop.losses, loop.evaluations, loop.bestStep, weightsStep,
                loop.tokens, seconds, tokensThisRun / Math.max(seconds, 1e-9), loop.skipped);
    }

    /**
     * Queues one update from {@code batches} (the micro-batches of a step): each one's loss and gradients, summed, then
     * the statistics and AdamW; nothing is read. Capturable where every micro-batch ran the layers' own backward.
     */
    private StepGraphs.StepBody.Result update(List<List<Sequence>> micro, List<Batch> batches, ClassificationHead head,
                                             NDArray factor, AdamW opt, NDManager stepScope) {
        NDManager pm = model.base().manager();
        List<NDArray> grads = null;
        NDArray lossSum = null;
        boolean byLayersOnly = true;
        for (int i = 0; i < batches.size(); i++) {
            Batch batch = batches.get(i);
            // The collector only switches autograd on; Kernels.gradients runs the backward (by the layers' own
            // passes, only that of LoRA's weight packing).
            try (NDManager scope = pm.newSubManager();
                 GradientCollector ignored = Engine.getInstance().newGradientCollector()) {
                PeftModel.LossGradients byLayers = head == null && layerBackward
                        ? model.layerGradients(batch.args(), batch.labels(), factor, opt.arrays(), stepScope) : null;
                NDArray sum;
                List<NDArray> g;
                if (byLayers != null) {
                    sum = byLayers.lossSum();
                    g = byLayers.gradients();
                } else {
                    byLayersOnly = false;
                    sum = head != null ? ClassificationHead.crossEntropySum(head.logits(model, batch.args()),
                            Sequence.classIndices(micro.get(i), scope)) : model.loss(batch.args(), batch.labels()).sum();
                    g = Kernels.gradients(sum.mul(factor), opt.arrays(), stepScope);
                }
                if (grads == null) {
                    grads = g;
                } else {
                    Kernels.accumulate(grads, g);
                }
                // summed on the device: the host reads the step's loss once, after the update is queued
                NDArray detached = sum.stopGradient();
                lossSum = lossSum == null ? detached : lossSum.add(detached);
                lossSum.attach(stepScope);
            }
        }
        // Clipping and the skip of a non-finite step are decided on the device, so the update is queued right behind
        // the backward; the host's one read waits for both.
        AdamW.StepStats stats = opt.stats(grads, lossSum, config.maxGradNorm(), stepScope);
        opt.step(grads, stats);
        return new StepGraphs.StepBody.Result(stats, byLayersOnly);
    }

    /** Evaluates, keeps the best weights and updates early stopping; true when patience ran out. */
    private boolean evaluate(EncodedDataset eval, Loop loop, BestWeights best) {
        model.train(false);
        LossMetrics m = Evaluator.loss(model, eval, config.batchSize(), padId);
        model.train(true);
        loop.evaluations.add(new TrainResult.Evaluation(loop.step, m));
        listener.onEvaluation(loop.step, m);
        if (m.loss() < loop.bestEvalLoss - config.earlyStoppingMinDelta()) {
            loop.bestEvalLoss = m.loss();
            loop.bestStep = loop.step;
            loop.evalsSinceBest = 0;
            best.capture(loop.step);
            return false;
        }
        return config.earlyStoppingPatience() > 0 && ++loop.evalsSinceBest >= config.earlyStoppingPatience();
    }

    private void save(Loop loop, LossScaler scaler, AdamW opt, BestWeights best) {
        TrainerCheckpoint.save(checkpointDir, new TrainerState(loop.step, loop.epoch, loop.cursor, scaler.scale(),
                scaler.goodSteps(), opt.steps(), loop.bestEvalLoss, loop.bestStep, loop.evalsSinceBest, loop.skipped,
                loop.tokens, loop.losses, loop.evaluations, loop.fingerprint, config), opt, best);
        listener.onCheckpoint(loop.step, checkpointDir);
    }

    /** Order-sensitive hash of the token ids, to refuse resuming on other data. */
    static long fingerprint(EncodedDataset data) {
        long h = 1125899906842597L;
        for (Sequence s : data.sequences()) {
            h = 31 * h + Arrays.hashCode(s.ids());
            h = 31 * h + Arrays.hashCode(s.labels());
            if (s.hasClass()) {
                // Only for classification data, so causal-LM fingerprints (and their checkpoints) stay valid.
                h = 31 * h + s.classIndex();
            }
        }
        return h;
    }

    /** The mutable position of a run. */
    private static final class Loop {
        final LengthBatcher batcher;
        final long fingerprint;
        final List<Double> losses;
        final List<TrainResult.Evaluation> evaluations;
        int step;
        int epoch;
        int cursor;
        int skipped;
        long tokens;
        double bestEvalLoss;
        int bestStep;
        int evalsSinceBest;
        List<List<Sequence>> epochBatches;

        Loop(TrainerState s, LengthBatcher batcher) {
            this.batcher = batcher;
            this.fingerprint = s.dataFingerprint();
            this.losses = new ArrayList<>(s.losses());
            this.evaluations = new ArrayList<>(s.evaluations());
            this.step = s.step();
            this.epoch = s.epoch();
            this.cursor = s.cursor();
            this.skipped = s.skippedSteps();
            this.tokens = s.tokens();
            this.bestEvalLoss = s.bestEvalLoss();
            this.bestStep = s.bestStep();
            this.evalsSinceBest = s.evalsSinceBest();
            this.epochBatches = batcher.epoch(epoch);
        }

        List<List<Sequence>> nextMicroBatches(int n) {
            List<List<Sequence>> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                if (cursor == epochBatches.size()) {
                    epoch++;
                    cursor = 0;
                    epochBatches = batcher.epoch(epoch);
                }
                out.add(epochBatches.get(cursor++));
            }
            return out;
        }
    }
}
