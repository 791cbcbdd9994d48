package io.peftflow.core.tuners.bottleneck;

import static io.peftflow.core.tuners.TunerTesting.fixtureArgs;
import static io.peftflow.core.tuners.TunerTesting.floats;
import static io.peftflow.core.tuners.TunerTesting.maxAbsDiff;
import static io.peftflow.core.tuners.TunerTesting.randomize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import io.peftflow.core.Fixtures;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.checkpoint.Json;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.DecoderLayer;
import io.peftflow.core.model.ForwardArgs;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.model.Models;
import io.peftflow.core.nn.Activations;
import io.peftflow.core.nn.Parameter;
import io.peftflow.core.safetensors.SafetensorsFile;
import io.peftflow.core.tuners.AdapterFiles;
import io.peftflow.core.tuners.PeftModel;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BottleneckTest {
    static final String LLAMA = "llama_gqa_tied";
    static final String PREFIX = "model.layers.0.output_adapters.adapters.a.";

    @TempDir
    Path tmp;

    @Test
    void countsFollowAdapterHubAndThePlanner() {
        try (CausalLM model = Models.load(Fixtures.dir(LLAMA), LoadOptions.cpu())) {
            // hidden 64, reduction 16 -> bottleneck 4: 64*4 + 4 + 4*64 + 64 = 580 per point, 2 layers.
            BottleneckConfig seq = BottleneckConfig.seqBn();
            BottleneckConfig dbl = BottleneckConfig.doubleSeqBn();
            assertEquals(1160, seq.trainableParameters(model));
            assertEquals(2320, dbl.trainableParameters(model));
            assertEquals(1, seq.withReductionFactor(100).bottleneckSize(64), "at least 1");
            assertEquals(21, seq.withReductionFactor(3).bottleneckSize(64), "hidden // reduction_factor");
            PeftModel peft = new PeftModel(model);
            peft.add("a", dbl, 1);
            assertEquals(2320, peft.trainableParameterCount());
            assertEquals(model.parameterCount(), peft.parameterCount(), "the tree holds the adapter (AdapterHub names)");
            Parameter down = model.namedParameters().get(PREFIX + "adapter_down.0.weight");
            assertEquals(new Shape(4, 64), down.shape());
            assertTrue(model.namedParameters().containsKey("model.layers.1.attention_adapters.adapters.a.adapter_up.bias"));
        }
    }

    @Test
    void initIsNearIdentityAndMamInitIsExactIdentity() {
        try (CausalLM model = Models.load(Fixtures.dir(LLAMA), LoadOptions.cpu())) {
            float[] base = floats(model.manager(), s -> model.forward(fixtureArgs(LLAMA, s)));
            PeftModel peft = new PeftModel(model);
            peft.add("mam", BottleneckConfig.seqBn().withInitWeights("mam_adapter"), 1);
            assertEquals(0, maxAbsDiff(base, floats(model.manager(), s -> peft.forward(fixtureArgs(LLAMA, s)))));
            peft.remove("mam");
            peft.add("bert", BottleneckConfig.doubleSeqBn(), 1);
            double d = maxAbsDiff(base, floats(model.manager(), s -> peft.forward(fixtureArgs(LLAMA, s))));
            System.out.printf("bottleneck bert init: max|logits - base| = %.3g%n", d);
            assertTrue(d > 0 && d < 0.1, "near identity: " + d);
            peft.remove("bert");
            assertTrue(model.namedParameters().keySet().stream().noneMatch(n -> n.contains("adapters")), "removed");
        }
    }

    /** The hooks compute AdapterHub's formulas: seq_bn sees h + mlp, double_seq_bn the sub-layer output. */
    @Test
    void placementAndResidualsAreAdapterHubs() {
        try (CausalLM model = Models.load(Fixtures.dir(LLAMA), LoadOptions.cpu());
             NDManager s = model.manager().newSubManager()) {
            PeftModel peft = new PeftModel(model);
            peft.add("a", BottleneckConfig.seqBn(), 1);
            peft.add("b", BottleneckConfig.doubleSeqBn().withNonLinearity("gelu"), 2);
            peft.namedParameters().values().stream().filter(Parameter::isTrainable)
                    .forEach(p -> randomize(p, model.manager(), 3, 0.3));
            Map<String, Parameter> ps = model.namedParameters();
            DecoderLayer layer = model.layers().get(0);
            NDArray sub = s.randomNormal(new Shape(2, 3, 64));
            NDArray h = s.randomNormal(new Shape(2, 3, 64));

            peft.setActive("a");
            NDArray x = sub.add(h);
            NDArray want = sub.add(mlp(ps, "model.layers.0.output_adapters.adapters.a.", x, Activation::relu));
            assertTrue(maxAbs(layer.afterMlp().apply(sub, h), want) < 1e-5, "seq_bn: mlp + adapter(h + mlp)");

            peft.setActive("b");
            want = sub.add(mlp(ps, "model.layers.0.attention_adapters.adapters.b.", sub, Activations::gelu));
            assertTrue(maxAbs(layer.afterAttention().apply(sub, h), want) < 1e-5, "double_seq_bn: s + adapter(s)");

            // Stacked: b applies to a's output, each with the block's residual h.
            peft.setActive("a", "b");
            NDArray first = sub.add(mlp(ps, "model.layers.0.output_adapters.adapters.a.", sub.add(h), Activation::relu));
            want = first.add(mlp(ps, "model.layers.0.output_adapters.adapters.b.", first, Activations::gelu));
            assertTrue(maxAbs(layer.afterMlp().apply(sub, h), want) < 1e-5, "stack == sequence");
        }
    }

    private static NDArray mlp(Map<String, Parameter> ps, String prefix, NDArray x,
                               java.util.function.UnaryOperator<NDArray> act) {
        NDArray down = ai.djl.nn.core.Linear.linear(x, ps.get(prefix + "adapter_down.0.weight").array(),
                ps.get(prefix + "adapter_down.0.bias").array()).singletonOrThrow();
        return ai.djl.nn.core.Linear.linear(act.apply(down), ps.get(prefix + "adapter_up.weight").array(),
                ps.get(prefix + "adapter_up.bias").array()).singletonOrThrow();
    }

    private static double maxAbs(NDArray a, NDArray b) {
        return a.sub(b).abs().max().getFloat();
    }

    @Test
    void saveLoadRoundTripAndGradients() {
        Path dir = tmp.resolve("bn");
        float[] want;
        try (CausalLM model = Models.load(Fixtures.dir(LLAMA), LoadOptions.cpu())) {
            PeftModel peft = new PeftModel(model);
            peft.add("lang", BottleneckConfig.doubleSeqBn().withReductionFactor(8), 1);
            peft.trainableParameters().forEach(p -> randomize(p, model.manager(), 4, 0.2));
            want = floats(model.manager(), s -> peft.forward(fixtureArgs(LLAMA, s)));
            peft.save("lang", dir, LLAMA);
            try (NDManager step = model.manager().newSubManager();
                 GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                ForwardArgs args = fixtureArgs(LLAMA, step);
                gc.backward(peft.loss(args, args.inputIds().toType(DataType.INT64, true)).mean());
            }
            for (Parameter p : peft.namedParameters().values()) {
                boolean grad = p.array().hasGradient() && p.array().getGradient().abs().max().getFloat() > 0;
                assertEquals(p.isTrainable(), grad, p.name());
            }
        }
        JsonNode cfg = Json.read(dir.resolve(AdapterFiles.CONFIG));
        assertEquals("BOTTLENECK", cfg.get("peft_type").asText());
        assertEquals("double_seq_bn", cfg.get("architecture").asText());
        assertEquals(8.0, cfg.get("reduction_factor").asDouble());
        assertEquals("swish", cfg.get("non_linearity").asText());
        try (SafetensorsFile f = SafetensorsFile.open(dir.resolve(AdapterFiles.WEIGHTS))) {
            Set<String> keys = new TreeSet<>(f.tensors().keySet());
            assertEquals(16, keys.size(), "2 layers x 2 points x (down, up) x (weight, bias)");
            assertTrue(keys.contains("model.layers.1.attention_adapters.adapters.lang.adapter_down.0.weight"), keys
                    .toString());
        }
        try (CausalLM model = Models.load(Fixtures.dir(LLAMA), LoadOptions.cpu())) {
            PeftModel peft = new PeftModel(model);
            peft.load(dir, "lang");
            assertEquals(0, maxAbsDiff(want, floats(model.manager(), s -> peft.forward(fixtureArgs(LLAMA, s)))));
            // saved keys carry the adapter name; loaded under another one (a server's), it reads them as saved
            peft.remove("lang");
            peft.load(dir, "other");
            assertEquals(0, maxAbsDiff(want, floats(model.manager(), s -> peft.forward(fixtureArgs(LLAMA, s)))));
        }
    }

    @Test
    void badConfigsAreRejected() {
        assertThrows(PeftCoreException.class, () -> new BottleneckConfig("par_bn", 16, "relu", "bert", 1, 0));
        assertThrows(PeftCoreException.class, () -> BottleneckConfig.seqBn().withReductionFactor(0));
        assertThrows(PeftCoreException.class, () -> BottleneckConfig.seqBn().withReductionFactor(-2));
        assertTrue(assertThrows(PeftCoreException.class, () -> BottleneckConfig.seqBn().withNonLinearity("softmax"))
                .getMessage().contains("non_linearity"));
        assertThrows(PeftCoreException.class, () -> BottleneckConfig.seqBn().withInitWeights("xavier"));
    }
}
