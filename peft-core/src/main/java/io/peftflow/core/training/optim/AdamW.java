package io.peftflow.core.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.nn.Kernels;
import io.peftflow.core.nn.Parameter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * AdamW (Loshchilov &amp; Hutter, torch's {@code AdamW}) with decoupled weight decay over fp32 parameters, as torch's
 * fused kernel ({@link Kernels#fusedAdamw}): all parameters in one kernel per weight-decay group, in place (hooks keep
 * reading the same arrays). Gradients come from {@link Kernels#gradients}; their unscaling (loss scale, token
 * normalisation), global-norm clipping and the skip of a non-finite step are decided on the device
 * ({@link #stats}), so a step is queued without waiting for the device; the host reads the step's loss and norm once,
 * afterwards ({@link StepStats#read}).
 *
 * <p>Weight decay skips biases and normalisation weights, as the HF Trainer decides by name; adapter weights (LoRA
 * A/B, bottleneck projections, prompt embeddings) are decayed like any other weight.
 */
public final class AdamW implements AutoCloseable {
    /** transformers' {@code Trainer.get_decay_parameter_names} patterns, on the full parameter name. */
    private static final Pattern NO_DECAY = Pattern.compile(
            "bias|layernorm|rmsnorm|(?:^|\\.)norm(?:$|\\.)|_norm(?:$|\\.)|(?:^|\\.)ln_");

    private final List<Parameter> params;
    private final List<NDArray> arrays;
    /** Indices into {@link #arrays} of the decayed parameters, then of the others: one fused call each. */
    private final int[][] groups;
    /** The bias-correction step count on the device (0-d fp32), advanced by the fused kernel's call. */
    private final NDArray stepCount;
    /** The next step's learning rate and gradient unscale (0-d fp32 on the device), set by {@link #schedule}. */
    private final NDArray lr;
    private final NDArray unscale;
    private final List<NDArray> m;
    private final List<NDArray> v;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final NDManager manager;
    private int steps;

    /**
     * @param parent the parameters' device; the moment estimates live in a sub-manager of it that {@link #close()}
     *     frees (a model serving many runs keeps none of them)
     */
    public AdamW(List<Parameter> params, double beta1, double beta2, double eps, double weightDecay,
                 NDManager parent) {
        if (params.isEmpty()) {
            throw new PeftCoreException("nothing to train: the model has no trainable parameters");
        }
        this.params = List.copyOf(params);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.manager = parent.newSubManager();
        List<NDArray> all = new ArrayList<>();
        List<Integer> decay = new ArrayList<>();
        List<Integer> plain = new ArrayList<>();
        List<NDArray> first = new ArrayList<>();
        List<NDArray> second = new ArrayList<>();
        for (Parameter p : params) {
            NDArray a = p.array();
            if (a.getDataType() != DataType.FLOAT32) {
                // Adapters keep fp32 master weights on every device; the fp16 base stays frozen.
                throw new PeftCoreException("trainable parameter is " + a.getDataType()
                        + "; only fp32 parameters can be trained (load the base in fp32 to train base weights)",
                        null, p.name());
            }
            (weightDecay != 0 && decays(p.name()) ? decay : plain).add(all.size());
            all.add(a);
            first.add(manager.zeros(a.getShape(), DataType.FLOAT32, a.getDevice()));
            second.add(manager.zeros(a.getShape(), DataType.FLOAT32, a.getDevice()));
        }
        arrays = List.copyOf(all);
        stepCount = manager.zeros(new Shape(), DataType.FLOAT32, all.get(0).getDevice());
        lr = manager.zeros(new Shape(), DataType.FLOAT32, all.get(0).getDevice());
        unscale = manager.ones(new Shape(), DataType.FLOAT32, all.get(0).getDevice());
        groups = new int[][] {decay.stream().mapToInt(Integer::intValue).toArray(),
                plain.stream().mapToInt(Integer::intValue).toArray()};
        m = List.copyOf(first);
        v = List.copyOf(second);
    }

    /** Frees the moment estimates. */
    @Override
    public void close() {
        manager.close();
    }

    /** True unless the name is a bias or a normalisation weight. */
    public static boolean decays(String parameterName) {
        return !NO_DECAY.matcher(parameterName.toLowerCase(java.util.Locale.ROOT)).find();
    }

    public List<Parameter> parameters() {
        return params;
    }

    /** Updates taken so far (the bias-correction step count). */
    public int steps() {
        return steps;
    }

    /** The parameters' arrays in order: what {@link Kernels#gradients} is asked for. */
    public List<NDArray> arrays() {
        return arrays;
    }

    /**
     * Sets the next step's learning rate and the factor that unscales its gradients (the loss was scaled by
     * {@code 1 / unscale}) on the device, queued before the step's work; {@link #stats} and {@link #step} read them
     * when they run, so a step captured into a CUDA graph takes each replay's values.
     */
    public void schedule(double learningRate, double gradientUnscale) {
        Kernels.fill(lr, learningRate);
        Kernels.fill(unscale, gradientUnscale);
    }

    /**
     * The step's statistics on the device, for the gradients {@code grads} of a loss scaled as {@link #schedule} says
     * whose summed (unscaled) value is {@code lossSum}: the gradient norm unscaled, clipping to {@code maxNorm} (0:
     * none) and whether the step must be skipped; attached to {@code scope}. Nothing is read.
     */
    public StepStats stats(List<NDArray> grads, NDArray lossSum, double maxNorm, NDManager scope) {
        NDList out = Kernels.stepStats(grads, lossSum, unscale, maxNorm, scope);
        return new StepStats(out.get(0), out.get(1), out.get(2));
    }

    /**
     * Queues one update at {@link #schedule}'s learning rate from {@code grads} unscaled and clipped as {@code stats}
     * says; the device leaves everything unchanged when the stats are not finite. Call {@link #applied} once the host
     * has read that they were.
     */
    public void step(List<NDArray> grads, StepStats stats) {
        Kernels.advanceStep(stepCount, stats.foundInf());
        for (int g = 0; g < groups.length; g++) {
            int[] idx = groups[g];
            if (idx.length > 0) {
                Kernels.fusedAdamw(pick(arrays, idx), pick(grads, idx), pick(m, idx), pick(v, idx),
                        Collections.nCopies(idx.length, stepCount), lr, beta1, beta2, eps, g == 0 ? weightDecay : 0,
                        stats.gradScale(), stats.foundInf());
            }
        }
    }

    private static List<NDArray> pick(List<NDArray> all, int[] idx) {
        List<NDArray> out = new ArrayList<>(idx.length);
        for (int i : idx) {
            out.add(all.get(i));
        }
        return out;
    }

    /** The host's count of updates taken (the device counted the step already). */
    public void applied() {
        steps++;
    }

    /**
     * A step's statistics on the device (see {@link #stats}).
     *
     * @param lossAndNorm {@code [summed loss, gradient norm]} fp32
     * @param gradScale the divisor of the gradients: {@code 1 / (unscale * clip)}
     * @param foundInf 1 when the loss or the norm is not finite
     */
    public record StepStats(NDArray lossAndNorm, NDArray gradScale, NDArray foundInf) {
        /** {@code [summed loss, gradient norm]}: the step's one device-to-host read. */
        public float[] read() {
            return lossAndNorm.toFloatArray();
        }
    }

    /** Moment estimates by {@code <name>.exp_avg} / {@code <name>.exp_avg_sq}: views attached to {@code scope}. */
    public Map<String, NDArray> state(NDManager scope) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            out.put(params.get(i).name() + ".exp_avg", view(m.get(i), scope));
            out.put(params.get(i).name() + ".exp_avg_sq", view(v.get(i), scope));
        }
        return out;
    }

    /** Restores {@link #state} and the step count; every parameter's moments must be present. */
    public void restore(Map<String, NDArray> saved, int savedSteps, NDManager scope) {
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            NDArray sm = saved.get(params.get(i).name() + ".exp_avg");
            NDArray sv = saved.get(params.get(i).name() + ".exp_avg_sq");
            if (sm == null || sv == null || !sm.getShape().equals(params.get(i).shape())) {
                missing.add(params.get(i).name());
                continue;
            }
            m.get(i).set(new NDIndex("..."), sm.toDevice(m.get(i).getDevice(), false));
            v.get(i).set(new NDIndex("..."), sv.toDevice(v.get(i).getDevice(), false));
        }
        if (!missing.isEmpty()) {
            throw new PeftCoreException("optimizer state does not match the trainable parameters: " + missing);
        }
        this.steps = savedSteps;
        stepCount.set(new NDIndex("..."), savedSteps);
    }

    /** A view of a long-lived array whose closing (with {@code scope}) leaves the array alone. */
    private static NDArray view(NDArray a, NDManager scope) {
        NDArray view = a.reshape(a.getShape());
        view.attach(scope);
        return view;
    }
}
