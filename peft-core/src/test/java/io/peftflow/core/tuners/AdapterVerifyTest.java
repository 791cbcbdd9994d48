package io.peftflow.core.tuners;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peftflow.core.Fixtures;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.checkpoint.Json;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.model.ModelConfig;
import io.peftflow.core.model.Models;
import io.peftflow.core.tuners.bottleneck.BottleneckConfig;
import io.peftflow.core.tuners.lora.LoraConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link AdapterFiles#verify}: a saved adapter checked against a base config from headers alone. */
class AdapterVerifyTest {
    private static final String LLAMA = "llama_gqa_tied";

    @TempDir
    Path tmp;

    @Test
    void savedAdaptersFitTheirBaseAndNotAnother() {
        Path lora = tmp.resolve("lora");
        Path bn = tmp.resolve("bn");
        try (CausalLM model = Models.load(Fixtures.dir(LLAMA), LoadOptions.cpu())) {
            PeftModel peft = new PeftModel(model);
            peft.add("lora", new LoraConfig(4, 8, TargetModules.of("q_proj", "v_proj"))
                    .withModulesToSave(List.of("lm_head")), 1);
            peft.save("lora", lora, "llama");
            peft.add("bn", BottleneckConfig.seqBn(), 1);
            peft.save("bn", bn, "llama");
        }
        ModelConfig base = config(Json.read(Fixtures.dir(LLAMA).resolve("config.json")));
        assertTrue(AdapterFiles.verify(lora, base, "lora") instanceof LoraConfig);
        assertTrue(AdapterFiles.verify(bn, base, "bn") instanceof BottleneckConfig);

        ObjectNode wider = Json.read(Fixtures.dir(LLAMA).resolve("config.json")).deepCopy();
        wider.put("hidden_size", wider.get("hidden_size").asInt() * 2);
        PeftCoreException e = assertThrows(PeftCoreException.class, () -> AdapterFiles.verify(lora, config(wider), "lora"));
        assertTrue(e.getMessage().contains("shape mismatch"), e.getMessage());
        assertTrue(e.tensor().endsWith(".lora_A.weight") || e.tensor().startsWith("base_model.model.lm_head"), e.tensor());

        ObjectNode gpt2 = Json.read(Fixtures.dir("gpt2").resolve("config.json")).deepCopy();
        PeftCoreException noTargets = assertThrows(PeftCoreException.class, () -> AdapterFiles.verify(lora, config(gpt2), "lora"));
        assertTrue(noTargets.getMessage().contains("not found"), noTargets.getMessage());
        assertEquals(lora.resolve(AdapterFiles.CONFIG), noTargets.file());
    }

    private static ModelConfig config(com.fasterxml.jackson.databind.JsonNode json) {
        return ModelConfig.parse(json, Path.of("config.json"));
    }
}
