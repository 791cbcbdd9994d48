package io.peftflow.core.training.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.nn.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * AdamW (Loshchilov &amp; Hutter, torch's {@code AdamW}) with decoupled weight decay over fp32 parameters. Like torch's
 * multi-tensor ("foreach") path it works on all parameters at once: each step gathers parameters and gradients into
 * one flat buffer each (one concat kernel apiece), updates the flat moments and parameters with a dozen kernels
 * whatever the number of tensors, and copies the results back into the parameters' own arrays (hooks keep reading
 * those). Gradient unscaling (loss scale, token normalisation) and global-norm clipping are folded into one factor
 * on the gradient. Per-step scalars are created once per step (DJL creates a tensor for every
 * {@code mul(Number)}), and every temporary lives in a per-step sub-manager.
 *
 * <p>Weight decay skips biases and normalisation weights, as the HF Trainer decides by name; adapter weights (LoRA
 * A/B, bottleneck projections, prompt embeddings) are decayed like any other weight.
 */
public final class AdamW {
    /** transformers' {@code Trainer.get_decay_parameter_names} patterns, on the full parameter name. */
    private static final Pattern NO_DECAY = Pattern.compile(
            "bias|layernorm|rmsnorm|(?:^|\\.)norm(?:$|\\.)|_norm(?:$|\\.)|(?:^|\\.)ln_");

    private final List<Parameter> params;
    private final long[] offsets;
    private final NDArray m;
    private final NDArray v;
    /** 1 where the element's parameter is decayed, else 0; null when nothing is. */
    private final NDArray decayMask;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final NDManager manager;
    private int steps;

    /** @param manager owns the moment estimates (the parameters' device) */
    public AdamW(List<Parameter> params, double beta1, double beta2, double eps, double weightDecay,
                 NDManager manager) {
        if (params.isEmpty()) {
            throw new PeftCoreException("nothing to train: the model has no trainable parameters");
        }
        this.params = List.copyOf(params);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.manager = manager;
        offsets = new long[params.size() + 1];
        float[] mask = null;
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            if (p.array().getDataType() != DataType.FLOAT32) {
                // Adapters keep fp32 master weights on every device; the fp16 base stays frozen.
                throw new PeftCoreException("trainable parameter is " + p.array().getDataType()
                        + "; only fp32 parameters can be trained (load the base in fp32 to train base weights)",
                        null, p.name());
            }
            offsets[i + 1] = offsets[i] + p.numel();
        }
        Device device = params.get(0).array().getDevice();
        Shape flat = new Shape(offsets[params.size()]);
        m = manager.zeros(flat, DataType.FLOAT32, device);
        v = manager.zeros(flat, DataType.FLOAT32, device);
        if (weightDecay != 0) {
            mask = new float[Math.toIntExact(flat.size())];
            for (int i = 0; i < params.size(); i++) {
                if (decays(params.get(i).name())) {
                    java.util.Arrays.fill(mask, (int) offsets[i], (int) offsets[i + 1], 1f);
                }
            }
        }
        decayMask = mask == null ? null : manager.create(mask).toDevice(device, false);
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

    /**
     * The L2 norm of all gradients together, times {@code gradScale}; NaN or infinite when any gradient is.
     * One device-to-host read.
     */
    public float gradNorm(float gradScale) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray g = flatGradients(scope);
            return (float) (Math.sqrt(g.square().sum().getFloat()) * gradScale);
        }
    }

    /**
     * One update with learning rate {@code lr}, using {@code gradient * gradScale} as the gradient (fold the loss
     * scale, the token normalisation and the clipping coefficient into it). Zeroes the gradients afterwards.
     */
    public void step(double lr, double gradScale) {
        steps++;
        double bc1 = 1 - Math.pow(beta1, steps);
        double bc2 = 1 - Math.pow(beta2, steps);
        try (NDManager scope = manager.newSubManager()) {
            NDArray g = flatGradients(scope);
            NDArray p = flat(scope, params.stream().map(Parameter::array).toList());
            m.muli(scalar(scope, beta1)).addi(g.mul(scalar(scope, (1 - beta1) * gradScale)));
            v.muli(scalar(scope, beta2)).addi(g.square().muli(scalar(scope, (1 - beta2) * gradScale * gradScale)));
            if (decayMask != null) {
                p.subi(p.mul(decayMask).muli(scalar(scope, lr * weightDecay)));
            }
            NDArray denom = scoped(v.sqrt(), scope).muli(scalar(scope, 1 / Math.sqrt(bc2))).addi(scalar(scope, eps));
            p.addi(scoped(m.div(denom), scope).muli(scalar(scope, -lr / bc1)));
            for (int i = 0; i < params.size(); i++) {
                params.get(i).array().set(new NDIndex("..."), slice(p, i, scope));
            }
        }
        zeroGradients();
    }

    /** Sets every gradient to 0 (also when it holds inf/NaN, which {@code g - g} would keep). */
    public void zeroGradients() {
        try (NDManager scope = manager.newSubManager()) {
            for (Parameter p : params) {
                grad(p, scope).set(new NDIndex("..."), 0f);
            }
        }
    }

    /** Moment estimates by {@code <name>.exp_avg} / {@code <name>.exp_avg_sq}: views attached to {@code scope}. */
    public Map<String, NDArray> state(NDManager scope) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            out.put(params.get(i).name() + ".exp_avg", slice(m, i, scope));
            out.put(params.get(i).name() + ".exp_avg_sq", slice(v, i, scope));
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
            slice(m, i, scope).set(new NDIndex("..."), sm.toDevice(m.getDevice(), false));
            slice(v, i, scope).set(new NDIndex("..."), sv.toDevice(v.getDevice(), false));
        }
        if (!missing.isEmpty()) {
            throw new PeftCoreException("optimizer state does not match the trainable parameters: " + missing);
        }
        this.steps = savedSteps;
    }

    /** Parameter {@code i}'s part of a flat buffer, shaped like it: a view, attached to {@code scope}. */
    private NDArray slice(NDArray flat, int i, NDManager scope) {
        NDArray part = scoped(flat.get(new NDIndex().addSliceDim(offsets[i], offsets[i + 1])), scope);
        return scoped(part.reshape(params.get(i).shape()), scope);
    }

    /** Moves a result that DJL attached to a long-lived operand's manager into the step scope. */
    private static NDArray scoped(NDArray a, NDManager scope) {
        a.attach(scope);
        return a;
    }

    private NDArray flatGradients(NDManager scope) {
        List<NDArray> grads = new ArrayList<>(params.size());
        for (Parameter p : params) {
            grads.add(grad(p, scope));
        }
        return flat(scope, grads);
    }

    /** One 1-D concatenation in {@code scope} (reshapes are views; the concat is one kernel). */
    private static NDArray flat(NDManager scope, List<NDArray> arrays) {
        NDList parts = new NDList(arrays.size());
        for (NDArray a : arrays) {
            parts.add(scoped(a.reshape(-1), scope));
        }
        return NDArrays.concat(parts);
    }

    private static NDArray grad(Parameter p, NDManager scope) {
        return scoped(p.array().getGradient(), scope);
    }

    private NDArray scalar(NDManager scope, double value) {
        return scope.create((float) value).toDevice(m.getDevice(), false);
    }
}
