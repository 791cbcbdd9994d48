package io.peftflow.core.tuners;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peftflow.core.PeftCoreException;
import io.peftflow.core.checkpoint.Json;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.model.Models;
import io.peftflow.core.safetensors.SafetensorsFile;
import io.peftflow.core.tiny.TinyModel;
import io.peftflow.core.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A warm start loads exactly the parent's weights, for each method family (LoRA, a bottleneck adapter, prompt
 * tuning), and refuses a parent of another base model or another config.
 */
class WarmStartTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "lora; {\"r\": 4, \"lora_alpha\": 8, \"target_modules\": [\"q_proj\", \"v_proj\"]}; {\"r\": 8, \"lora_alpha\": 8, \"target_modules\": [\"q_proj\", \"v_proj\"]}",
            "seq_bn; {\"reduction_factor\": 4}; {\"reduction_factor\": 8}",
            "prompt_tuning; {\"num_virtual_tokens\": 5, \"prompt_tuning_init\": \"RANDOM\"}; {\"num_virtual_tokens\": 6, \"prompt_tuning_init\": \"RANDOM\"}"})
    void loadsTheParentsWeightsAndRefusesAnotherKind(String method, String hyperparameters, String other)
            throws Exception {
        Path dir = TinyModel.write(tmp.resolve("tiny"));
        Path parentDir = tmp.resolve("parent");
        Path childDir = tmp.resolve("child");
        try (CausalLM model = Models.load(dir, LoadOptions.cpu()); Tokenizer tok = Tokenizer.load(dir)) {
            PeftModel peft = new PeftModel(model);
            AdapterConfig config = PeftMethods.config(method, Json.MAPPER.readTree(hyperparameters)).forTokenizer(tok);
            peft.add("default", config, 1);
            // Make every parent tensor differ from any initialisation (LoRA's B starts at zero).
            peft.trainableParameters().forEach(p -> p.set(p.array().add(0.25f)));
            peft.save("default", parentDir, "tiny");
            peft.remove("default");

            peft.add("default", config, 2);
            peft.save("default", tmp.resolve("fresh"), "tiny");
            WarmStart.load(peft, "default", parentDir, "tiny");
            peft.save("default", childDir, "tiny");
            try (SafetensorsFile parent = open(parentDir); SafetensorsFile child = open(childDir);
                 SafetensorsFile fresh = open(tmp.resolve("fresh"))) {
                assertEquals(parent.tensors().keySet(), child.tensors().keySet());
                boolean differsFromFresh = false;
                for (String key : parent.tensors().keySet()) {
                    assertArrayEquals(parent.readFloats(key), child.readFloats(key), key);
                    differsFromFresh |= !Arrays.equals(parent.readFloats(key), fresh.readFloats(key));
                }
                assertTrue(differsFromFresh, "the parent's weights are not the fresh adapter's");
            }

            PeftCoreException base = assertThrows(PeftCoreException.class,
                    () -> WarmStart.load(peft, "default", parentDir, "another-model"));
            assertTrue(base.getMessage().contains("base model 'tiny'"), base.getMessage());
            assertTrue(base.file().endsWith("adapter_config.json"));

            peft.remove("default");
            peft.add("default", PeftMethods.config(method, Json.MAPPER.readTree(other)).forTokenizer(tok), 2);
            PeftCoreException config2 = assertThrows(PeftCoreException.class,
                    () -> WarmStart.load(peft, "default", parentDir, "tiny"));
            assertTrue(config2.getMessage().contains("has config"), config2.getMessage());
            assertFalse(config2.getMessage().contains("another-model"));
        }
    }

    private static SafetensorsFile open(Path adapterDir) {
        return SafetensorsFile.open(adapterDir.resolve(AdapterFiles.WEIGHTS));
    }
}
