package io.peftflow.core.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.nn.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * AdamW (Loshchilov &amp; Hutter, torch's {@code AdamW}) with decoupled weight decay, updating fp32 parameters in
 * place. Gradient unscaling (loss scale, token normalisation) and global-norm clipping are folded into one factor
 * on the gradient, so a step makes no pass over the gradients beyond the moment updates. Per-step scalars are
 * created once per step and shared by all parameters (DJL creates a tensor for every {@code mul(Number)}), and
 * every temporary lives in a per-step sub-manager.
 *
 * <p>Weight decay skips biases and normalisation weights, as the HF Trainer decides by name; adapter weights (LoRA
 * A/B, bottleneck projections, prompt embeddings) are decayed like any other weight.
 */
public final class AdamW {
    /** transformers' {@code Trainer.get_decay_parameter_names} patterns, on the full parameter name. */
    private static final Pattern NO_DECAY = Pattern.compile(
            "bias|layernorm|rmsnorm|(?:^|\\.)norm(?:$|\\.)|_norm(?:$|\\.)|(?:^|\\.)ln_");

    private final List<Parameter> params;
    private final boolean[] decay;
    private final NDArray[] m;
    private final NDArray[] v;
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
        int n = params.size();
        decay = new boolean[n];
        m = new NDArray[n];
        v = new NDArray[n];
        for (int i = 0; i < n; i++) {
            Parameter p = params.get(i);
            if (p.array().getDataType() != DataType.FLOAT32) {
                // Adapters keep fp32 master weights on every device; the fp16 base stays frozen.
                throw new PeftCoreException("trainable parameter is " + p.array().getDataType()
                        + "; only fp32 parameters can be trained (load the base in fp32 to train base weights)",
                        null, p.name());
            }
            decay[i] = decays(p.name());
            m[i] = manager.zeros(p.shape(), DataType.FLOAT32, p.array().getDevice());
            v[i] = manager.zeros(p.shape(), DataType.FLOAT32, p.array().getDevice());
        }
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
            NDList squares = new NDList(params.size());
            for (Parameter p : params) {
                NDArray g = grad(p, scope);
                squares.add(g.square().sum());
            }
            double sum = NDArrays.stack(squares).sum().getFloat();
            return (float) (Math.sqrt(sum) * gradScale);
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
            NDArray b1 = scalar(scope, beta1);
            NDArray b2 = scalar(scope, beta2);
            NDArray gm = scalar(scope, (1 - beta1) * gradScale);
            NDArray gv = scalar(scope, (1 - beta2) * gradScale * gradScale);
            NDArray invSqrtBc2 = scalar(scope, 1 / Math.sqrt(bc2));
            NDArray epsT = scalar(scope, eps);
            NDArray stepSize = scalar(scope, -lr / bc1);
            NDArray shrink = scalar(scope, 1 - lr * weightDecay);
            for (int i = 0; i < params.size(); i++) {
                NDArray p = params.get(i).array();
                NDArray g = grad(params.get(i), scope);
                m[i].muli(b1).addi(g.mul(gm));
                v[i].muli(b2).addi(g.square().muli(gv));
                if (decay[i] && weightDecay != 0) {
                    p.muli(shrink);
                }
                NDArray denom = v[i].sqrt().muli(invSqrtBc2).addi(epsT);
                p.addi(m[i].div(denom).muli(stepSize));
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

    /** Moment estimates by {@code <name>.exp_avg} / {@code <name>.exp_avg_sq}, for checkpoints. */
    public Map<String, NDArray> state() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            out.put(params.get(i).name() + ".exp_avg", m[i]);
            out.put(params.get(i).name() + ".exp_avg_sq", v[i]);
        }
        return out;
    }

    /** Restores {@link #state()} and the step count; every parameter's moments must be present. */
    public void restore(Map<String, NDArray> saved, int savedSteps) {
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            NDArray sm = saved.get(params.get(i).name() + ".exp_avg");
            NDArray sv = saved.get(params.get(i).name() + ".exp_avg_sq");
            if (sm == null || sv == null || !sm.getShape().equals(m[i].getShape())) {
                missing.add(params.get(i).name());
                continue;
            }
            m[i].set(new NDIndex("..."), sm.toDevice(m[i].getDevice(), false));
            v[i].set(new NDIndex("..."), sv.toDevice(v[i].getDevice(), false));
        }
        if (!missing.isEmpty()) {
            throw new PeftCoreException("optimizer state does not match the trainable parameters: " + missing);
        }
        this.steps = savedSteps;
    }

    private static NDArray grad(Parameter p, NDManager scope) {
        NDArray g = p.array().getGradient();
        g.attach(scope);
        return g;
    }

    private NDArray scalar(NDManager scope, double value) {
        return scope.create((float) value).toDevice(params.get(0).array().getDevice(), false);
    }
}
