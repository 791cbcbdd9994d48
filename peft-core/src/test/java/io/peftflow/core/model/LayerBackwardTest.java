package io.peftflow.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peftflow.core.Fixtures;
import io.peftflow.core.checkpoint.Json;
import io.peftflow.core.data.Batch;
import io.peftflow.core.data.Sequence;
import io.peftflow.core.nn.Kernels;
import io.peftflow.core.nn.Parameter;
import io.peftflow.core.tuners.PeftModel;
import io.peftflow.core.tuners.TargetModules;
import io.peftflow.core.tuners.lora.LoraConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hand-written Llama layer backward ({@link PeftModel#layerGradients}: {@code llama_layer_train},
 * {@code llama_layer_backward} and the final norm's and LM head's gradient in kernels.py) against autograd through
 * the fused forward, fp32 on the CPU: grouped-query and plain attention, uneven LoRA targets, a right-padded batch as
 * the trainer collates it; and against central differences of the loss on a tiny case.
 */
class LayerBackwardTest {
    private static final List<List<String>> TARGETS = List.of(
            List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"),
            List.of("q_proj", "v_proj"), List.of("k_proj", "gate_proj"), List.of("down_proj"),
            List.of("o_proj", "up_proj"));

    @Test
    void gradientsMatchAutograd() {
        for (String name : List.of("llama_gqa_tied", "llama3_untied_sharded", "mistral_sliding", "plain_heads")) {
            for (List<String> targets : TARGETS) {
                try (CausalLM model = load(name)) {
                    PeftModel peft = lora(model, targets);
                    List<Parameter> params = peft.trainableParameters();
                    try (NDManager s = model.manager().newSubManager()) {
                        Batch batch = paddedBatch(s);
                        NDArray factor = s.create(1f / 9);
                        Result byLayers = byLayers(peft, params, batch, factor, s);
                        assertNotNull(byLayers, name + " " + targets + ": the hand-written path applies");
                        Result autograd = autograd(peft, params, batch, factor, s);
                        String what = name + " " + targets;
                        assertEquals(autograd.loss, byLayers.loss, 1e-5 * Math.abs(autograd.loss), what + " loss");
                        for (int i = 0; i < params.size(); i++) {
                            assertClose(autograd.grads.get(i), byLayers.grads.get(i), 1e-5,
                                    what + " gradient of " + params.get(i).name());
                        }
                    }
                }
            }
        }
    }

    /**
     * The layer run segment by segment (as with the native CUDA kernels between the segments, here TorchScript's norms
     * and SwiGLU) gives the whole-layer call's loss and gradients.
     */
    @Test
    void segmentsGiveTheWholeLayersGradients() {
        for (List<String> targets : TARGETS) {
            try (CausalLM model = load("llama_gqa_tied")) {
                PeftModel peft = lora(model, targets);
                List<Parameter> params = peft.trainableParameters();
                try (NDManager s = model.manager().newSubManager()) {
                    Batch batch = paddedBatch(s);
                    NDArray factor = s.create(1f / 9);
                    Result whole = byLayers(peft, params, batch, factor, s);
                    Kernels.segmentLayers(true);
                    Result segments;
                    try {
                        segments = byLayers(peft, params, batch, factor, s);
                    } finally {
                        Kernels.segmentLayers(false);
                    }
                    assertNotNull(segments);
                    assertEquals(whole.loss, segments.loss, 0, targets + " loss");
                    for (int i = 0; i < params.size(); i++) {
                        assertClose(whole.grads.get(i), segments.grads.get(i), 1e-6,
                                targets + " gradient of " + params.get(i).name());
                    }
                }
            }
        }
    }

    @Test
    void gradientsMatchCentralDifferences() {
        try (CausalLM model = load("llama_gqa_tied")) {
            PeftModel peft = lora(model, TARGETS.get(0));
            List<Parameter> params = peft.trainableParameters();
            try (NDManager s = model.manager().newSubManager()) {
                Batch batch = Batch.collate(List.of(seq(4, 1), seq(3, 0)), 0, s);
                Result r = byLayers(peft, params, batch, s.create(1f), s);
                assertNotNull(r);
                double eps = 1e-2;
                int checked = 0;
                for (int i = 0; i < params.size(); i++) {
                    NDArray p = params.get(i).array();
                    float[] g = r.grads.get(i);
                    // the entry with the largest gradient and one other, of each A and B
                    int big = 0;
                    for (int j = 1; j < g.length; j++) {
                        big = Math.abs(g[j]) > Math.abs(g[big]) ? j : big;
                    }
                    for (int j : new int[] {big, g.length / 3}) {
                        NDIndex at = new NDIndex(j / p.getShape().get(1), j % p.getShape().get(1));
                        float v = p.get(at).getFloat();
                        p.set(at, v + (float) eps);
                        double up = loss(peft, batch);
                        p.set(at, v - (float) eps);
                        double down = loss(peft, batch);
                        p.set(at, v);
                        double numeric = (up - down) / (2 * eps);
                        assertEquals(numeric, g[j], 2e-3 + 2e-2 * Math.abs(numeric),
                                params.get(i).name() + "[" + j + "]");
                        checked++;
                    }
                }
                assertEquals(2 * params.size(), checked);
            }
        }
    }

    /** Masks that causal attention cannot replace, and adapters beyond LoRA's layer updates, stay on autograd. */
    @Test
    void whatItCannotComputeFallsBackToAutograd() {
        try (CausalLM model = load("mistral_sliding");
             NDManager s = model.manager().newSubManager()) {
            PeftModel peft = lora(model, TARGETS.get(0));
            // longer than the sliding window (5): a mask
            Batch batch = Batch.collate(List.of(seq(7, 1), seq(6, 0)), 0, s);
            assertNull(byLayers(peft, peft.trainableParameters(), batch, s.create(1f), s));
        }
        try (CausalLM model = load("llama_gqa_tied");
             NDManager s = model.manager().newSubManager()) {
            PeftModel peft = new PeftModel(model);
            peft.add("default", new LoraConfig(4, 8, TargetModules.of("q_proj")).withDropout(0.1), 3);
            peft.train(true);
            Batch batch = Batch.collate(List.of(seq(4, 1)), 0, s);
            assertNull(byLayers(peft, peft.trainableParameters(), batch, s.create(1f), s), "dropout");
        }
    }

    private record Result(double loss, List<float[]> grads) {
    }

    private static Result byLayers(PeftModel peft, List<Parameter> params, Batch batch, NDArray factor,
                                   NDManager s) {
        try (GradientCollector ignored = Engine.getInstance().newGradientCollector()) {
            PeftModel.LossGradients g = peft.layerGradients(batch.args(), batch.labels(), factor, arrays(params), s);
            return g == null ? null : new Result(g.lossSum().getFloat(), floats(g.gradients()));
        }
    }

    private static Result autograd(PeftModel peft, List<Parameter> params, Batch batch, NDArray factor,
                                   NDManager s) {
        try (GradientCollector ignored = Engine.getInstance().newGradientCollector()) {
            NDArray sum = peft.loss(batch.args(), batch.labels()).sum();
            return new Result(sum.getFloat(), floats(Kernels.gradients(sum.mul(factor), arrays(params), s)));
        }
    }

    private static double loss(PeftModel peft, Batch batch) {
        return peft.loss(batch.args(), batch.labels()).sum().getFloat();
    }

    /** Lengths 5, 3, 4: right padding, as the trainer's batches (prompt tokens unlabelled). */
    private static Batch paddedBatch(NDManager s) {
        return Batch.collate(List.of(seq(5, 1), seq(3, 0), seq(4, 2)), 0, s);
    }

    private static void assertClose(float[] want, float[] got, double rel, String what) {
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
            scale = Math.max(scale, Math.abs(want[i]));
            worst = Math.max(worst, Math.abs(want[i] - got[i]));
        }
        assertTrue(scale > 0, what + ": a gradient to compare");
        assertTrue(worst <= rel * scale, what + ": largest difference " + worst + " against largest value " + scale);
    }

    /** ids 3.. of {@code length}, the first {@code prompt} unlabelled. */
    private static Sequence seq(int length, int prompt) {
        long[] ids = new long[length];
        long[] labels = new long[length];
        for (int i = 0; i < length; i++) {
            ids[i] = 3 + (7L * i + 11L * length) % 200;
            labels[i] = i < prompt ? CausalLmLoss.IGNORE_INDEX : ids[i];
        }
        return new Sequence(0, ids, labels);
    }

    private static PeftModel lora(CausalLM model, List<String> targets) {
        PeftModel peft = new PeftModel(model);
        peft.add("default", new LoraConfig(4, 8, TargetModules.of(targets.toArray(String[]::new))), 7);
        for (Parameter p : peft.trainableParameters()) {
            // B starts at zero: random values so every gradient depends on the whole layer
            p.array().set(new NDIndex("..."), model.manager().randomNormal(0, 0.1f, p.shape(), DataType.FLOAT32));
        }
        peft.train(true);
        return peft;
    }

    /** A fixture, or {@code plain_heads}: a random two-layer Llama without grouped-query attention. */
    private static CausalLM load(String name) {
        if (!name.equals("plain_heads")) {
            return Models.load(Fixtures.dir(name), LoadOptions.cpu());
        }
        ObjectNode c = Json.MAPPER.createObjectNode();
        c.putArray("architectures").add("LlamaForCausalLM");
        c.put("model_type", "llama").put("vocab_size", 256).put("hidden_size", 48).put("intermediate_size", 96)
                .put("num_hidden_layers", 2).put("num_attention_heads", 3).put("num_key_value_heads", 3)
                .put("max_position_embeddings", 64).put("rms_norm_eps", 1e-5).put("rope_theta", 10000.0)
                .put("hidden_act", "silu").put("tie_word_embeddings", false);
        NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu());
        CausalLM model = Models.create(ModelConfig.parse(c, Path.of("config.json")), m, DataType.FLOAT32);
        Engine.getInstance().setRandomSeed(5);
        for (Parameter p : model.namedParameters().values()) {
            p.set(p.name().endsWith("norm.weight") ? m.randomUniform(0.5f, 1.5f, p.shape())
                    : m.randomNormal(0, 0.2f, p.shape(), DataType.FLOAT32));
        }
        model.fuseProjections();
        return model;
    }

    private static List<NDArray> arrays(List<Parameter> params) {
        return params.stream().map(Parameter::array).toList();
    }

    private static List<float[]> floats(List<NDArray> arrays) {
        List<float[]> out = new ArrayList<>();
        for (NDArray a : arrays) {
            out.add(a.toFloatArray());
        }
        return out;
    }
}
