package io.peftflow.core.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.peftflow.core.nn.Parameter;
import io.peftflow.core.tuners.Inits;
import io.peftflow.core.tuners.PeftModel;
import io.peftflow.core.tuners.TargetModules;
import io.peftflow.core.tuners.lora.LoraConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A frozen adapter under a trained one ({@code stack_on}): both apply, the optimizer updates only the new one, and the
 * frozen adapter's weights are bit-identical after training.
 */
class FrozenAdapterTest {
    @TempDir
    Path tmp;

    @Test
    void trainingLeavesAFrozenAdapterBitIdentical() {
        try (TinySetup s = new TinySetup(tmp); NDManager scope = s.model.manager().newSubManager()) {
            PeftModel peft = new PeftModel(s.model);
            LoraConfig lora = new LoraConfig(4, 8, TargetModules.of("q_proj", "v_proj"));
            peft.add("lang", lora, 1);
            // Non-zero B: the frozen adapter changes the forward pass, so it would get gradients if it could train.
            long seed = 11;
            for (Parameter p : peft.adapter("lang").parameters().values()) {
                var old = p.array();
                Inits.normal(p, scope, seed++, p.name(), 0.05);
                old.close();
            }
            peft.freeze("lang");
            peft.add("new", lora, 2);
            Map<String, float[]> lang = weights(peft, "lang");
            Map<String, float[]> fresh = weights(peft, "new");

            new Trainer(peft, TrainingConfig.builder().seed(3).learningRate(1e-2).maxSteps(3).batch(8, 1).build(),
                    s.pad()).train(s.encode(TinySetup.examples(24, 1)), s.encode(TinySetup.examples(8, 2)));

            assertEquals(List.of("lang", "new"), peft.activeAdapters());
            Map<String, float[]> langAfter = weights(peft, "lang");
            lang.forEach((k, v) -> assertArrayEquals(v, langAfter.get(k), "frozen " + k));
            Map<String, float[]> trained = weights(peft, "new");
            assertTrue(fresh.keySet().stream().anyMatch(k -> !Arrays.equals(fresh.get(k), trained.get(k))),
                    "the new adapter trained");
        }
    }

    private static Map<String, float[]> weights(PeftModel peft, String adapter) {
        Map<String, float[]> out = new LinkedHashMap<>();
        peft.adapter(adapter).parameters().forEach((k, p) -> out.put(k, p.array().toFloatArray()));
        return out;
    }
}
