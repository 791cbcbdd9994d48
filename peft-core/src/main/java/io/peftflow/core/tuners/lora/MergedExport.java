package io.peftflow.core.tuners.lora;

import ai.djl.ndarray.NDArray;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.nn.Linear;
import io.peftflow.core.nn.Parameter;
import io.peftflow.core.safetensors.SafetensorsWriter;
import io.peftflow.core.tuners.Adapter;
import io.peftflow.core.tuners.Dense;
import io.peftflow.core.tuners.PeftModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PEFT's {@code merge_and_unload()} + {@code save_pretrained}: a plain HF checkpoint with the active LoRA adapters
 * folded into the weights ({@code model.safetensors} in the model's dtype, tied heads saved once as transformers
 * does) plus the base checkpoint's config and tokenizer files. The in-memory model is unmerged afterwards.
 */
public final class MergedExport {
    /** Files copied from the base checkpoint when present. */
    static final List<String> COPIED = List.of("config.json", "generation_config.json", "tokenizer.json",
            "tokenizer_config.json", "special_tokens_map.json", "chat_template.jinja", "tokenizer.model", "vocab.json",
            "merges.txt", "added_tokens.json");

    private MergedExport() {
    }

    public static void write(PeftModel peft, Path baseCheckpoint, Path out) {
        List<LoraAdapter> active = new ArrayList<>();
        for (String name : peft.activeAdapters()) {
            if (!(peft.adapter(name) instanceof LoraAdapter lora)) {
                throw new PeftCoreException("only LoRA adapters can be merged; disable " + name + " ("
                        + peft.adapter(name).config().peftType() + ") before exporting");
            }
            active.add(lora);
        }
        CausalLM base = peft.base();
        List<LoraAdapter> merged = new ArrayList<>();
        try {
            for (LoraAdapter a : active) {
                a.merge();
                merged.add(a);
            }
            Files.createDirectories(out);
            SafetensorsWriter.write(out.resolve("model.safetensors"), baseTensors(peft, base, active));
            for (String f : COPIED) {
                Path src = baseCheckpoint.resolve(f);
                if (Files.isRegularFile(src)) {
                    Files.copy(src, out.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new PeftCoreException("cannot write merged checkpoint: " + e.getMessage(), out, null, e);
        } finally {
            for (int i = merged.size() - 1; i >= 0; i--) {
                merged.get(i).unmerge();
            }
        }
    }

    /** Base parameters under their checkpoint keys, modules_to_save copies in place of their originals. */
    private static Map<String, NDArray> baseTensors(PeftModel peft, CausalLM base, List<LoraAdapter> active) {
        Set<String> adapterParams = new HashSet<>();
        for (String name : peft.adapterNames()) {
            Adapter a = peft.adapter(name);
            adapterParams.addAll(a.parameters().keySet());
        }
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : base.namedParameters().entrySet()) {
            if (!adapterParams.contains(e.getKey())) {
                tensors.put(e.getKey(), e.getValue().array());
            }
        }
        for (LoraAdapter a : active) {
            for (Map.Entry<String, Dense> c : a.modulesToSave().entrySet()) {
                Linear original = (Linear) base.module(c.getKey());
                replace(tensors, original.weight(), c.getKey() + ".weight", c.getValue().weight());
                if (original.bias() != null) {
                    replace(tensors, original.bias(), c.getKey() + ".bias", c.getValue().bias());
                }
            }
        }
        return tensors;
    }

    private static void replace(Map<String, NDArray> tensors, Parameter original, String key, Parameter copy) {
        if (!original.name().equals(key)) {
            throw new PeftCoreException("cannot merge modules_to_save into " + key + ": its weight is tied to "
                    + original.name(), null, key);
        }
        NDArray w = original.array();
        tensors.put(key, copy.array().toType(w.getDataType(), false));
    }
}
