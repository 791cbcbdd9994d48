package io.peftflow.core.tuners;

import static io.peftflow.core.tuners.TunerTesting.randomize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import io.peftflow.core.Fixtures;
import io.peftflow.core.data.Batch;
import io.peftflow.core.data.Sequence;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.CausalLmLoss;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.model.Models;
import io.peftflow.core.nn.Kernels;
import io.peftflow.core.nn.Parameter;
import io.peftflow.core.tuners.bottleneck.BottleneckConfig;
import io.peftflow.core.tuners.lora.LoraConfig;
import io.peftflow.core.tuners.prompt.PromptTuningConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every method's adapter gradients (autograd through the fused kernels, as the trainer takes them) against an
 * independent oracle: central finite differences of the mean loss along directions through all trainable
 * parameters, computed in fp64 from the fp32 model's loss sums (the tolerance covers fp32 rounding of the loss and of
 * the moved parameters). Every trainable tensor must have a
 * non-zero gradient (LoRA's B is made non-zero first, so A's gradient is not zero by construction), and the
 * directional derivative must be well above the finite differences' noise, so zeros cannot pass.
 */
class AdapterGradientTest {
    static final String LLAMA = "llama_gqa_tied";

    static Stream<Arguments> methods() {
        return Stream.of(
                Arguments.of("lora", new LoraConfig(4, 8, TargetModules.of("q_proj", "k_proj", "v_proj", "o_proj",
                        "gate_proj", "down_proj"))),
                Arguments.of("seq_bn", BottleneckConfig.seqBn()),
                Arguments.of("double_seq_bn", BottleneckConfig.doubleSeqBn()),
                Arguments.of("prompt_tuning", PromptTuningConfig.random(4)));
    }

    @ParameterizedTest
    @MethodSource("methods")
    void gradientsMatchFiniteDifferences(String method, AdapterConfig config) {
        try (CausalLM model = Models.load(Fixtures.dir(LLAMA), LoadOptions.cpu())) {
            PeftModel peft = new PeftModel(model);
            peft.add("a", config, 1);
            List<Parameter> params = peft.trainableParameters();
            for (Parameter p : params) {
                if (p.name().contains(".lora_B.") || p.name().contains("adapter_up")) {
                    randomize(p, model.manager(), p.name().hashCode(), 0.05);
                }
            }
            List<double[]> grads = new ArrayList<>();
            List<float[]> raw = new ArrayList<>();
            long count;
            try (NDManager step = model.manager().newSubManager();
                 GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                CausalLmLoss.Result loss = loss(peft, step);
                count = loss.count();
                // The sum's gradient, divided in Java: the mean's (no Number constants in the graph, see nn.Scalars).
                // Taken as the trainer takes it (torch's autograd.grad through the kernels).
                for (NDArray g : Kernels.gradients(loss.sum(), params.stream().map(Parameter::array).toList(), step)) {
                    raw.add(g.toFloatArray());
                }
            }
            for (int t = 0; t < params.size(); t++) {
                Parameter p = params.get(t);
                double[] g = toDoubles(raw.get(t), count);
                double max = 0;
                for (double v : g) {
                    max = Math.max(max, Math.abs(v));
                }
                assertTrue(max > 1e-6, method + ": zero gradient for " + p.name());
                grads.add(g);
            }
            // Along the gradient itself, and along the gradient re-weighted by random positive factors.
            Random r = new Random(11);
            List<double[]> reweighted = grads.stream().map(g -> {
                double[] d = new double[g.length];
                for (int i = 0; i < d.length; i++) {
                    d[i] = g[i] * (0.5 + r.nextDouble());
                }
                return d;
            }).toList();
            for (List<double[]> direction : List.of(grads, reweighted)) {
                double norm = Math.sqrt(direction.stream().flatMapToDouble(java.util.Arrays::stream)
                        .map(v -> v * v).sum());
                double analytic = 0;
                for (int t = 0; t < grads.size(); t++) {
                    for (int i = 0; i < grads.get(t).length; i++) {
                        analytic += grads.get(t)[i] * direction.get(t)[i] / norm;
                    }
                }
                double eps = 1e-2;
                double numeric = (lossAlong(peft, params, direction, eps / norm)
                        - lossAlong(peft, params, direction, -eps / norm)) / (2 * eps);
                System.out.printf(java.util.Locale.ROOT, "%s: directional derivative autograd %.6e, finite differences %.6e (rel %.2e)%n",
                        method, analytic, numeric, Math.abs(numeric - analytic) / analytic);
                assertTrue(analytic > 1e-3, method + ": directional derivative " + analytic + " is too small to test");
                assertEquals(analytic, numeric, 2e-3 * analytic, method);
            }
        }
    }

    /** The loss with every parameter moved by {@code scale * direction}, then moved back. */
    private static double lossAlong(PeftModel peft, List<Parameter> params, List<double[]> direction, double scale) {
        List<float[]> saved = new ArrayList<>();
        for (int t = 0; t < params.size(); t++) {
            float[] v = params.get(t).array().toFloatArray();
            saved.add(v);
            float[] moved = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                moved[i] = (float) (v[i] + scale * direction.get(t)[i]);
            }
            set(params.get(t), moved);
        }
        try (NDManager step = peft.base().manager().newSubManager()) {
            CausalLmLoss.Result r = loss(peft, step);
            return r.sum().toType(DataType.FLOAT64, false).getDouble() / r.count();
        } finally {
            for (int t = 0; t < params.size(); t++) {
                set(params.get(t), saved.get(t));
            }
        }
    }

    private static void set(Parameter p, float[] values) {
        try (NDManager scope = p.array().getManager().newSubManager()) {
            p.array().set(new NDIndex("..."), scope.create(values, p.shape()));
        }
    }

    /**
     * The loss on the fixture's two sequences, right-padded by {@link Batch#collate} as the trainer batches them
     * (padding labelled -100), prompt tokens and answers all labelled.
     */
    private static CausalLmLoss.Result loss(PeftModel peft, NDManager step) {
        long[][] ids = Fixtures.longs(Fixtures.expected(LLAMA).get("input_ids"));
        long[] shorter = java.util.Arrays.copyOfRange(ids[1], 3, ids[1].length);
        Batch batch = Batch.collate(List.of(new Sequence(0, ids[0], ids[0]), new Sequence(1, shorter, shorter)), 0,
                step);
        return peft.loss(batch.args(), batch.labels());
    }

    private static double[] toDoubles(float[] f, long divisor) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = (double) f[i] / divisor;
        }
        return d;
    }
}
