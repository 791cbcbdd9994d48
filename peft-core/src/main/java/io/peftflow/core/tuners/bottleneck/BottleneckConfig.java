package io.peftflow.core.tuners.bottleneck;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.nn.Activations;
import io.peftflow.core.tuners.AdapterConfig;
import io.peftflow.core.tuners.ConfigReader;
import java.util.List;
import java.util.Locale;

/**
 * Sequential bottleneck adapters as AdapterHub's {@code adapters} library defines them ({@code BnConfig}):
 * {@code seq_bn} (Pfeiffer et al. 2020; {@code SeqBnConfig}: after the feed-forward block only, relu) and
 * {@code double_seq_bn} (Houlsby et al. 2019; {@code DoubleSeqBnConfig}: after attention and after the
 * feed-forward block, swish). Each adapter is {@code up(act(down(x))) * scaling} with
 * {@code down: hidden -> hidden // reduction_factor} (at least 1) and {@code up} back, both with bias.
 * <p>
 * Placement and residuals follow AdapterHub's Llama integration (no layer norm handed to the adapter):
 * {@code seq_bn} ({@code original_ln_before=True}) feeds the adapter the block's full output
 * {@code h + mlp}, and the layer outputs {@code h + mlp + adapter(h + mlp)}; {@code double_seq_bn}
 * ({@code original_ln_before=False}) feeds it the sub-layer output {@code s}, and outputs {@code h + s + adapter(s)}.
 * Init {@code bert} (AdapterHub's default): both projections N(0, 0.02), biases 0 (near identity);
 * {@code mam_adapter}: down kaiming-uniform, up and biases 0 (exact identity).
 */
public record BottleneckConfig(String architecture, double reductionFactor, String nonLinearity, String initWeights,
                               double scaling, double dropout) implements AdapterConfig {
    public static final String PEFT_TYPE = "BOTTLENECK";
    public static final String SEQ_BN = "seq_bn";
    public static final String DOUBLE_SEQ_BN = "double_seq_bn";
    static final List<String> NON_LINEARITIES = List.of("relu", "gelu", "gelu_new", "swish", "silu", "tanh",
            "sigmoid", "leakyrelu");

    public BottleneckConfig {
        if (!SEQ_BN.equals(architecture) && !DOUBLE_SEQ_BN.equals(architecture)) {
            throw PeftCoreException.invalidField("architecture", "architecture must be " + SEQ_BN + " or "
                    + DOUBLE_SEQ_BN + ", got " + architecture);
        }
        if (!(reductionFactor > 0) || Double.isInfinite(reductionFactor)) {
            throw PeftCoreException.invalidField("reduction_factor", "reduction_factor must be a positive number, got "
                    + reductionFactor);
        }
        nonLinearity = nonLinearity == null ? null : nonLinearity.toLowerCase(Locale.ROOT);
        if (!NON_LINEARITIES.contains(nonLinearity)) {
            throw PeftCoreException.invalidField("non_linearity", "non_linearity must be one of " + NON_LINEARITIES
                    + ", got " + nonLinearity);
        }
        if (!"bert".equals(initWeights) && !"mam_adapter".equals(initWeights)) {
            throw PeftCoreException.invalidField("init_weights", "init_weights must be bert or mam_adapter, got "
                    + initWeights);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw PeftCoreException.invalidField("dropout", "dropout must be in [0, 1), got " + dropout);
        }
        if (!Double.isFinite(scaling)) {
            throw PeftCoreException.invalidField("scaling", "scaling must be a finite number, got " + scaling);
        }
    }

    /** AdapterHub's {@code SeqBnConfig} defaults: reduction factor 16, relu. */
    public static BottleneckConfig seqBn() {
        return new BottleneckConfig(SEQ_BN, 16, "relu", "bert", 1.0, 0);
    }

    /** AdapterHub's {@code DoubleSeqBnConfig} defaults: reduction factor 16, swish. */
    public static BottleneckConfig doubleSeqBn() {
        return new BottleneckConfig(DOUBLE_SEQ_BN, 16, "swish", "bert", 1.0, 0);
    }

    public BottleneckConfig withReductionFactor(double rf) {
        return new BottleneckConfig(architecture, rf, nonLinearity, initWeights, scaling, dropout);
    }

    public BottleneckConfig withNonLinearity(String act) {
        return new BottleneckConfig(architecture, reductionFactor, act, initWeights, scaling, dropout);
    }

    public BottleneckConfig withInitWeights(String init) {
        return new BottleneckConfig(architecture, reductionFactor, nonLinearity, init, scaling, dropout);
    }

    /** Adapter after attention ({@code mh_adapter}). */
    public boolean mhAdapter() {
        return DOUBLE_SEQ_BN.equals(architecture);
    }

    /** Adapter after the feed-forward block ({@code output_adapter}); both architectures have it. */
    public boolean outputAdapter() {
        return true;
    }

    /** AdapterHub's {@code original_ln_before}: the adapter sees the residual-added output. */
    public boolean originalLnBefore() {
        return SEQ_BN.equals(architecture);
    }

    /** {@code int(hidden // reduction_factor)}, at least 1. */
    public long bottleneckSize(long hidden) {
        return Math.max(1, (long) Math.floor(hidden / reductionFactor));
    }

    NDArray activate(NDArray x) {
        return switch (nonLinearity) {
            case "relu" -> Activation.relu(x);
            case "gelu" -> Activations.gelu(x);
            case "gelu_new" -> Activations.geluNew(x);
            case "swish", "silu" -> Activations.silu(x);
            case "tanh" -> Activation.tanh(x);
            case "sigmoid" -> Activation.sigmoid(x);
            case "leakyrelu" -> Activation.leakyRelu(x, 0.01f);
            default -> throw new IllegalStateException(nonLinearity);
        };
    }

    @Override
    public String peftType() {
        return PEFT_TYPE;
    }

    @Override
    public BottleneckAdapter attach(CausalLM model, String adapterName, long seed) {
        return BottleneckAdapter.attach(this, model, adapterName, seed);
    }

    /** {@code (H*m + m + m*H + H)} per insertion point and layer, as {@link io.peftflow.core.planner.PeftSpec}. */
    @Override
    public long trainableParameters(CausalLM skeleton) {
        long h = skeleton.config().hiddenSize();
        long m = bottleneckSize(h);
        int points = (mhAdapter() ? 1 : 0) + (outputAdapter() ? 1 : 0);
        return (2 * h * m + m + h) * points * skeleton.layers().size();
    }

    /** peft-core's own format (AdapterHub's config keys); documented in docs/adapter-formats.md. */
    @Override
    public ObjectNode toJson(String baseModelNameOrPath) {
        ObjectNode n = jsonHeader(baseModelNameOrPath);
        n.put("architecture", architecture);
        n.put("mh_adapter", mhAdapter());
        n.put("output_adapter", outputAdapter());
        n.put("original_ln_before", originalLnBefore());
        n.put("original_ln_after", true);
        n.put("residual_before_ln", true);
        n.put("reduction_factor", reductionFactor);
        n.put("non_linearity", nonLinearity);
        n.put("init_weights", initWeights);
        n.put("scaling", scaling);
        n.put("dropout", dropout);
        return n;
    }

    public static BottleneckConfig fromJson(JsonNode n) {
        ConfigReader c = ConfigReader.saved(n, "bottleneck");
        if (!c.has("architecture")) {
            throw c.invalid("architecture", "is missing from the bottleneck adapter_config.json");
        }
        return read(c, c.text("architecture", null));
    }

    /**
     * AdapterHub's config keys for {@code architecture} ({@code seq_bn} or {@code double_seq_bn}), its defaults for
     * that architecture where a key is absent. The placement keys follow from the architecture; a value that
     * contradicts it is an error naming the key.
     */
    static BottleneckConfig read(ConfigReader c, String architecture) {
        c.ignore("peft_type", "base_model_name_or_path");
        if (!c.text("architecture", architecture).equals(architecture)) {
            throw c.invalid("architecture", "is " + c.text("architecture", null) + " but the method is " + architecture);
        }
        BottleneckConfig defaults = DOUBLE_SEQ_BN.equals(architecture) ? doubleSeqBn() : seqBn();
        BottleneckConfig config = new BottleneckConfig(architecture,
                c.number("reduction_factor", defaults.reductionFactor()),
                c.text("non_linearity", defaults.nonLinearity()), c.text("init_weights", defaults.initWeights()),
                c.number("scaling", defaults.scaling()), c.number("dropout", defaults.dropout()));
        boolean[] placement = {config.mhAdapter(), config.outputAdapter(), config.originalLnBefore(), true, true};
        String[] keys = {"mh_adapter", "output_adapter", "original_ln_before", "original_ln_after",
            "residual_before_ln"};
        for (int i = 0; i < keys.length; i++) {
            if (c.bool(keys[i], placement[i]) != placement[i]) {
                throw c.invalid(keys[i], "must be " + placement[i] + " for " + architecture
                        + " (other placements are not supported)");
            }
        }
        c.finish();
        return config;
    }
}
