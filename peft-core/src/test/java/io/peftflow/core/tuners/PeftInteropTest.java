package io.peftflow.core.tuners;

import static io.peftflow.core.tuners.TunerTesting.fixtureArgs;
import static io.peftflow.core.tuners.TunerTesting.fixtureRow0;
import static io.peftflow.core.tuners.TunerTesting.floats;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.peftflow.core.Fixtures;
import io.peftflow.core.checkpoint.Json;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.model.Models;
import io.peftflow.core.safetensors.SafetensorsFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Adapters saved by HF PEFT 0.21 ({@code peft_*}, made by reference/check_peft_interop.py) load into peft-core
 * with no missing or unexpected keys and give PEFT's logits; the Java-exported ones ({@code java_*}, which PEFT
 * loaded and matched on the GPU machine) still give the logits PEFT checked.
 */
class PeftInteropTest {
    static final double TOL = 1e-4;

    @ParameterizedTest
    @ValueSource(strings = {"peft_lora_llama", "peft_lora_gpt2", "peft_prompt_llama", "java_lora_llama",
        "java_lora_gpt2", "java_prompt_llama"})
    void adapterGivesTheRecordedLogits(String name) {
        Path dir = Fixtures.dir("peft_interop").resolve(name);
        String fixture = name.endsWith("gpt2") ? "gpt2" : "llama_gqa_tied";
        boolean prompt = name.contains("prompt");
        float[] want;
        try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("logits.safetensors"))) {
            want = f.readFloats("logits");
        }
        long[][] mask = prompt ? null : Fixtures.longs(Fixtures.expected(fixture).get("attention_mask"));
        try (CausalLM model = Models.load(Fixtures.dir(fixture), LoadOptions.cpu())) {
            PeftModel peft = new PeftModel(model);
            peft.load(dir, "loaded");
            float[] got = floats(model.manager(), s -> peft.forward(prompt ? fixtureRow0(fixture, s)
                    : fixtureArgs(fixture, s)));
            double diff = maxDiffOnRealTokens(got, want, mask, model.config().vocabSize());
            System.out.printf("interop %-18s max|diff| = %.3g  %s%n", name, diff, peft.trainableParametersReport());
            assertTrue(diff <= TOL, name + " max abs diff " + diff);
            JsonNode made = Json.read(Fixtures.dir("peft_interop").resolve("interop_result.json"))
                    .path("peft_to_java").path(name);
            if (!made.isMissingNode()) {
                assertEquals(made.get("trainable").asLong(), peft.trainableParameterCount(), "PEFT's count");
                assertEquals(made.get("total").asLong(), peft.parameterCount(), "PEFT's count");
            }
        }
    }

    /** The merged LoRA export (which transformers loaded on the GPU machine) gives the adapter's logits. */
    @Test
    void mergedExportGivesTheAdaptersLogits() {
        Path dir = Fixtures.dir("peft_interop").resolve("java_merged_llama");
        float[] want;
        try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("logits.safetensors"))) {
            want = f.readFloats("logits");
        }
        long[][] mask = Fixtures.longs(Fixtures.expected("llama_gqa_tied").get("attention_mask"));
        try (CausalLM model = Models.load(dir, LoadOptions.cpu())) {
            float[] got = floats(model.manager(), s -> model.forward(fixtureArgs("llama_gqa_tied", s)));
            assertTrue(maxDiffOnRealTokens(got, want, mask, model.config().vocabSize()) <= TOL);
        }
    }

    /** All positions, or for padded rows only the real tokens (pads see no keys; their logits are arbitrary). */
    private static double maxDiffOnRealTokens(float[] got, float[] want, long[][] mask, int vocab) {
        assertEquals(want.length, got.length, "logits shape");
        double worst = 0;
        for (int i = 0; i < got.length; i++) {
            int token = i / vocab;
            if (mask != null && mask[token / mask[0].length][token % mask[0].length] == 0) {
                continue;
            }
            worst = Math.max(worst, Math.abs(got[i] - want[i]));
        }
        return worst;
    }
}
