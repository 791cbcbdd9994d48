package io.peftflow.core.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.nn.Kernels;
import io.peftflow.core.nn.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * AdamW (Loshchilov &amp; Hutter, torch's {@code AdamW}) with decoupled weight decay over fp32 parameters. Like torch's
 * multi-tensor ("foreach") path it updates all parameters with a handful of multi-tensor kernels in one call
 * ({@link Kernels#adamw}), whatever the number of tensors, in place (hooks keep reading the same arrays). Gradients
 * come from {@link Kernels#gradients}; their unscaling (loss scale, token normalisation) and global-norm clipping are
 * folded into one factor.
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
    private final List<NDArray> decayed;
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
        List<NDArray> decay = new ArrayList<>();
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
            all.add(a);
            if (weightDecay != 0 && decays(p.name())) {
                decay.add(a);
            }
            first.add(manager.zeros(a.getShape(), DataType.FLOAT32, a.getDevice()));
            second.add(manager.zeros(a.getShape(), DataType.FLOAT32, a.getDevice()));
        }
        arrays = List.copyOf(all);
        decayed = List.copyOf(decay);
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
     * The L2 norm of all gradients together, times {@code gradScale}; NaN or infinite when any gradient is.
     * One device-to-host read; the 0-d norm is freed with the gradients' manager.
     */
    public float gradNorm(List<NDArray> grads, float gradScale) {
        return Kernels.globalNorm(grads).getFloat() * gradScale;
    }

    /**
     * One update with learning rate {@code lr}, using {@code grads[i] * gradScale} as parameter i's gradient (fold the
     * loss scale, the token normalisation and the clipping coefficient into it).
     */
    public void step(List<NDArray> grads, double lr, double gradScale) {
        steps++;
        double bc1 = 1 - Math.pow(beta1, steps);
        double bc2 = 1 - Math.pow(beta2, steps);
        Kernels.adamw(arrays, grads, m, v, decayed, gradScale, beta1, beta2, eps, 1 - lr * weightDecay, lr / bc1,
                Math.sqrt(bc2));
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
    }

    /** A view of a long-lived array whose closing (with {@code scope}) leaves the array alone. */
    private static NDArray view(NDArray a, NDManager scope) {
        NDArray view = a.reshape(a.getShape());
        view.attach(scope);
        return view;
    }
}
