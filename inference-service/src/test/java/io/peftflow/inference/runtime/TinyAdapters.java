package io.peftflow.inference.runtime;

import ai.djl.ndarray.NDManager;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.model.Models;
import io.peftflow.core.scoring.LabelSet;
import io.peftflow.core.tuners.Inits;
import io.peftflow.core.tuners.PeftModel;
import io.peftflow.core.tuners.TargetModules;
import io.peftflow.core.tuners.lora.LoraConfig;
import io.peftflow.inference.registry.ServedStack;
import io.peftflow.inference.registry.ServedVersion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** LoRA versions of the tiny base as the demo trains them, with random weights, saved where the service stages files. */
final class TinyAdapters {
    private TinyAdapters() {
    }

    /** Versions 1..{@code count} of adapter {@code lora} (r 8 on q, k, v, o; seeds differ), each under {@code tmp}. */
    static List<ModelFiles.StagedStack> lora(Path base, Path tmp, LabelSet labels, int count) {
        List<ModelFiles.StagedStack> out = new ArrayList<>();
        try (CausalLM model = Models.load(base, LoadOptions.cpu()); NDManager m = model.manager().newSubManager()) {
            PeftModel peft = new PeftModel(model);
            for (int v = 1; v <= count; v++) {
                String name = "lora-" + v;
                peft.add(name, new LoraConfig(8, 16, TargetModules.of("q_proj", "k_proj", "v_proj", "o_proj")), v);
                long seed = v * 100L;
                for (var p : peft.adapter(name).parameters().values()) {
                    var old = p.array();
                    Inits.normal(p, m, seed++, p.name(), 0.05);
                    old.close();
                }
                peft.save(name, tmp.resolve(name), "tiny-llama");
                ServedVersion version = new ServedVersion("t", "lora", v, "lora", "tiny-llama", List.of());
                out.add(new ModelFiles.StagedStack(ServedStack.of(List.of(version)),
                        List.of(new ModelFiles.StagedAdapter(version, tmp.resolve(name), labels, 10_000))));
            }
        }
        return out;
    }
}
