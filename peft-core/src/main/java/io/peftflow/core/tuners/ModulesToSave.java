package io.peftflow.core.tuners;

import ai.djl.ndarray.types.DataType;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.nn.Linear;
import io.peftflow.core.nn.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PEFT's {@code modules_to_save}: a trainable copy of whole Linear modules (e.g. {@code lm_head}, or a
 * classification {@code score} head) that replaces the original's output while its adapter is active, and is
 * saved with the adapter under the module's own keys ({@code base_model.model.lm_head.weight}). The copy lives at
 * {@code <module>.modules_to_save.<adapter>} as in PEFT.
 */
public final class ModulesToSave {
    private static final String DICT = "modules_to_save";

    private record Copy(Linear original, ModuleDict dict, Dense copy) {
    }

    private final String adapterName;
    private final List<Copy> copies = new ArrayList<>();

    private ModulesToSave(String adapterName) {
        this.adapterName = adapterName;
    }

    /** Copies each named module (full name or suffix, as target modules) and hooks the copy in. */
    public static ModulesToSave attach(CausalLM model, String adapterName, List<String> names) {
        ModulesToSave out = new ModulesToSave(adapterName);
        if (names.isEmpty()) {
            return out;
        }
        for (Linear l : TargetModules.of(names).resolve(model)) {
            if (l.fanInFanOut()) {
                throw new PeftCoreException("modules_to_save supports nn.Linear layers, not Conv1D", null, l.name());
            }
            ModuleDict dict = ModuleDict.under(l, DICT);
            Dense copy = dict.registerModule(adapterName, new Dense(dict.childName(adapterName), l.inFeatures(),
                    l.outFeatures(), l.bias() != null));
            if (l.weight().isInitialized()) { // a skeleton has shapes only
                copy.weight().set(l.weight().array().toType(DataType.FLOAT32, true));
                if (l.bias() != null) {
                    copy.bias().set(l.bias().array().toType(DataType.FLOAT32, true));
                }
            }
            l.hooks().add(adapterName + "." + DICT, (baseOut, in) -> Fp32.like(copy.forward(Fp32.of(in)), baseOut));
            out.copies.add(new Copy(l, dict, copy));
        }
        return out;
    }

    /** Trainable parameter count if attached to {@code skeleton}. */
    public static long count(CausalLM skeleton, List<String> names) {
        if (names.isEmpty()) {
            return 0;
        }
        return TargetModules.of(names).resolve(skeleton).stream()
                .mapToLong(l -> l.inFeatures() * l.outFeatures() + (l.bias() != null ? l.outFeatures() : 0)).sum();
    }

    public void parameters(Map<String, Parameter> into) {
        copies.forEach(c -> c.copy().localParameters().values().forEach(p -> into.put(p.name(), p)));
    }

    /** PEFT's saved keys: {@code base_model.model.<module>.weight}. */
    public void savedParameters(Map<String, Parameter> into) {
        for (Copy c : copies) {
            c.copy().localParameters().forEach((local, p) -> into.put("base_model.model." + c.original().name() + "."
                    + local, p));
        }
    }

    /** Original module path to its trained copy (for a merged export). */
    public Map<String, Dense> copies() {
        Map<String, Dense> out = new LinkedHashMap<>();
        copies.forEach(c -> out.put(c.original().name(), c.copy()));
        return out;
    }

    public void setEnabled(boolean enabled) {
        copies.forEach(c -> c.original().hooks().setEnabled(adapterName + "." + DICT, enabled));
    }

    public void detach() {
        for (Copy c : copies) {
            c.original().hooks().remove(adapterName + "." + DICT);
            c.dict().removeFrom(c.original(), adapterName);
            c.copy().localParameters().values().forEach(p -> p.array().close());
        }
        copies.clear();
    }
}
