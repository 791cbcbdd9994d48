package io.peftflow.core.tuners;

import static io.peftflow.core.tuners.TunerTesting.randomize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.peftflow.core.Fixtures;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.ForwardArgs;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.model.Models;
import io.peftflow.core.safetensors.SafetensorsWriter;
import io.peftflow.core.tuners.lora.LoraConfig;
import io.peftflow.core.tuners.lora.MergedExport;
import io.peftflow.core.tuners.prompt.PromptTuningConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the Java-exported adapters that {@code reference/check_peft_interop.py} loads into HF PEFT, each with
 * the logits peft-core computes for it ({@code logits.safetensors}). Run on purpose only:
 * {@code -Dtest=InteropFixtureWriter -Dpeftflow.interop.out=<fixtures>/peft_interop}.
 */
@EnabledIfSystemProperty(named = "peftflow.interop.out", matches = ".+")
class InteropFixtureWriter {
    @Test
    void write() {
        Path out = Path.of(System.getProperty("peftflow.interop.out"));
        // rsLoRA and three module kinds on Llama; Conv1D (fan_in_fan_out) on GPT-2; random prompt on Llama.
        PeftModel llama = write(out.resolve("java_lora_llama"), "llama_gqa_tied", new LoraConfig(4, 8,
                TargetModules.of("q_proj", "v_proj", "down_proj")).withRslora(true), TunerTesting::fixtureArgs);
        // The same adapter merged into a plain HF checkpoint, for transformers alone to load.
        Path merged = out.resolve("java_merged_llama");
        MergedExport.write(llama, Fixtures.dir("llama_gqa_tied"), merged);
        writeLogits(merged, llama.base(), llama.base()::forward, TunerTesting.fixtureArgs("llama_gqa_tied",
                llama.base().manager()));
        llama.base().close();
        write(out.resolve("java_lora_gpt2"), "gpt2", new LoraConfig(4, 16, TargetModules.of("c_attn", "c_proj")),
                TunerTesting::fixtureArgs).base().close();
        write(out.resolve("java_prompt_llama"), "llama_gqa_tied", PromptTuningConfig.random(5),
                TunerTesting::fixtureRow0).base().close();
    }

    /** Saves a seeded adapter with non-zero weights and its logits; returns the model, open, for the caller. */
    private static PeftModel write(Path dir, String fixture, AdapterConfig config,
                                   BiFunction<String, NDManager, ForwardArgs> inputs) {
        CausalLM model = Models.load(Fixtures.dir(fixture), LoadOptions.cpu());
        PeftModel peft = new PeftModel(model);
        Adapter a = peft.add("default", config, 11);
        a.parameters().values().forEach(p -> randomize(p, model.manager(), 12, 0.2));
        peft.save("default", dir, fixture);
        writeLogits(dir, model, peft::forward, inputs.apply(fixture, model.manager()));
        return peft;
    }

    private static void writeLogits(Path dir, CausalLM model, Function<ForwardArgs, NDArray> forward,
                                    ForwardArgs args) {
        try (NDManager step = model.manager().newSubManager()) {
            SafetensorsWriter.write(dir.resolve("logits.safetensors"), Map.of("logits", forward.apply(args)));
        }
    }
}
