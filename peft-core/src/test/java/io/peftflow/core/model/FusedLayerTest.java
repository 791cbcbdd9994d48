package io.peftflow.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.peftflow.core.Fixtures;
import io.peftflow.core.nn.Linear;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The loader fuses q/k/v and gate/up into one weight each, keeping the per-module weights as views of it; a Llama
 * layer then runs as one kernel call, with the per-module forward's result.
 */
class FusedLayerTest {
    @Test
    void fusedLayerMatchesPerModuleForward() {
        for (String name : List.of("llama_gqa_tied", "llama3_untied_sharded", "mistral_sliding")) {
            try (CausalLM model = Models.load(Fixtures.dir(name), LoadOptions.cpu());
                 NDManager s = model.manager().newSubManager()) {
                LlamaForCausalLM.Layer layer = (LlamaForCausalLM.Layer) model.layers().get(1);
                long hidden = model.config().hiddenSize();
                NDArray h = s.randomNormal(0, 1, new Shape(2, 5, hidden), DataType.FLOAT32);
                NDArray positions = s.arange(0, 5).toType(DataType.INT64, false).expandDims(0);
                NDArray[] cs = Rope.cosSin(positions, s.create(Rope.invFreq(model.config())), DataType.FLOAT32);
                LayerInput in = new LayerInput(cs[0], cs[1], null, null, null);

                NDArray fused = layer.fusedForward(h, in);
                assertNotNull(fused, name + ": fused path taken");
                Linear q = (Linear) model.module("model.layers.1.self_attn.q_proj");
                q.hooks().add("identity", (out, x) -> out);   // not a low-rank hook: per-module path
                assertNull(layer.fusedForward(h, in), name + ": a plain hook falls back");
                NDArray perModule = layer.forward(h, in);
                q.hooks().remove("identity");
                assertArrayEquals(perModule.toFloatArray(), fused.toFloatArray(), 2e-6f, name);
            }
        }
    }

    @Test
    void perModuleWeightsAreViewsOfTheFusedOne() {
        try (CausalLM model = Models.load(Fixtures.dir("llama_gqa_tied"), LoadOptions.cpu());
             NDManager s = model.manager().newSubManager()) {
            Linear k = (Linear) model.module("model.layers.0.self_attn.k_proj");
            NDArray ids = s.create(new long[] {5, 9, 13, 17}, new Shape(1, 4));
            float before = model.forward(ids).sum().getFloat();
            // an in-place change of one module's weight (what a LoRA merge does) reaches the fused matmul
            k.weight().array().addi(s.ones(k.weight().shape()));
            float after = model.forward(ids).sum().getFloat();
            assertNotEquals(before, after, "the fused matmul saw the change");
        }
    }
}
