package io.peftflow.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peftflow.core.Fixtures;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.checkpoint.Json;
import io.peftflow.core.device.Devices;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelConfigTest {
    private static ModelConfig fixture(String name) {
        var dir = Fixtures.dir(name);
        return ModelConfig.parse(Json.read(dir.resolve("config.json")), dir);
    }

    @Test
    void transformers4RopeFormatEqualsTransformers5() {
        ObjectNode v5 = (ObjectNode) Json.read(Fixtures.dir("llama3_untied_sharded").resolve("config.json"));
        ObjectNode v4 = v5.deepCopy();
        ObjectNode params = (ObjectNode) v4.remove("rope_parameters");
        v4.put("rope_theta", params.remove("rope_theta").asDouble());
        v4.set("rope_scaling", params);
        ModelConfig a = ModelConfig.parse(v5, null);
        ModelConfig b = ModelConfig.parse(v4, null);
        assertEquals(a.ropeScaling(), b.ropeScaling());
        assertEquals(500000.0, b.ropeTheta());
        assertArrayEquals(Rope.invFreq(a), Rope.invFreq(b));
        assertEquals("llama3", a.ropeScaling().type());
    }

    @Test
    void familyDetails() {
        ModelConfig qwen = fixture("qwen2_bias");
        assertTrue(qwen.qkvBias());
        assertFalse(qwen.outputBias());
        assertEquals(0, qwen.slidingWindow());
        ModelConfig mistral = fixture("mistral_sliding");
        assertEquals(5, mistral.slidingWindow());
        assertEquals(24, mistral.headDim());
        assertEquals(4, mistral.kvGroups());
        assertTrue(mistral.slidingLayers()[1]);
        ModelConfig gpt2 = fixture("gpt2");
        assertEquals(256, gpt2.intermediateSize());
        assertTrue(gpt2.tieWordEmbeddings());
        assertEquals(List.of(2), gpt2.eosTokenIds());
        ObjectNode q = (ObjectNode) Json.read(Fixtures.dir("qwen2_bias").resolve("config.json"));
        q.put("use_sliding_window", true).put("sliding_window", 8).put("max_window_layers", 1);
        q.remove("layer_types");
        ModelConfig sliding = ModelConfig.parse(q, null);
        assertArrayEquals(new boolean[] {false, true}, sliding.slidingLayers());
    }

    @Test
    void namesMirrorHuggingFace() {
        try (var model = Models.load(Fixtures.dir("gpt2"), LoadOptions.cpu())) {
            assertTrue(model.namedModules().containsKey("transformer.h.0.attn.c_attn"));
            assertTrue(model.namedParameters().containsKey("transformer.wte.weight"));
            assertFalse(model.namedParameters().containsKey("lm_head.weight"), "tied head listed once");
            assertTrue(((io.peftflow.core.nn.Linear) model.module("transformer.h.1.mlp.c_fc")).fanInFanOut());
        }
        try (var model = Models.load(Fixtures.dir("qwen2_bias"), LoadOptions.cpu())) {
            assertTrue(model.namedParameters().containsKey("model.layers.1.self_attn.k_proj.bias"));
            assertTrue(model.namedParameters().containsKey("lm_head.weight"));
            assertEquals(2, model.layers().size());
            assertEquals("model.layers.1.mlp", model.layers().get(1).mlp().name());
            assertThrows(PeftCoreException.class, () -> model.module("model.layers.9"));
        }
    }

    @Test
    void deviceSpecs() {
        assertEquals(Device.cpu(), Devices.pick("cpu"));
        int gpus = ai.djl.engine.Engine.getInstance().getGpuCount();
        assertEquals(gpus > 0 ? Device.gpu() : Device.cpu(), Devices.pick("auto"));
        assertThrows(PeftCoreException.class, () -> Devices.pick("cuda:" + gpus));
        assertThrows(PeftCoreException.class, () -> Devices.pick("tpu"));
        assertThrows(PeftCoreException.class, () -> Devices.pick("cuda:x"));
    }
}
