package io.peftflow.core.tuners.lora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.tuners.AdapterConfig;
import io.peftflow.core.tuners.ConfigReader;
import io.peftflow.core.tuners.ModulesToSave;
import io.peftflow.core.tuners.TargetModules;
import java.util.List;

/**
 * LoRA as HF PEFT configures it ({@code LoraConfig}): rank {@code r}, {@code lora_alpha} (scaling
 * {@code alpha / r}, or {@code alpha / sqrt(r)} with {@code use_rslora}), {@code lora_dropout} on the adapter
 * input while training, {@code target_modules}, and optional {@code modules_to_save}. Bias is always "none".
 */
public record LoraConfig(int r, double loraAlpha, double loraDropout, boolean useRslora, TargetModules targetModules,
                         List<String> modulesToSave) implements AdapterConfig {
    public static final String PEFT_TYPE = "LORA";

    public LoraConfig {
        if (r <= 0) {
            throw PeftCoreException.invalidField("r", "r (the LoRA rank) must be > 0, got " + r);
        }
        if (!(loraAlpha > 0) || Double.isInfinite(loraAlpha)) {
            throw PeftCoreException.invalidField("lora_alpha", "lora_alpha must be a positive number, got "
                    + loraAlpha);
        }
        if (!(loraDropout >= 0 && loraDropout < 1)) {
            throw PeftCoreException.invalidField("lora_dropout", "lora_dropout must be in [0, 1), got "
                    + loraDropout);
        }
        if (targetModules == null) {
            throw PeftCoreException.invalidField("target_modules", "LoRA needs target_modules");
        }
        modulesToSave = modulesToSave == null ? List.of() : List.copyOf(modulesToSave);
    }

    /** r, alpha, no dropout, no rsLoRA, no modules to save. */
    public LoraConfig(int r, double loraAlpha, TargetModules targetModules) {
        this(r, loraAlpha, 0, false, targetModules, List.of());
    }

    public LoraConfig withDropout(double dropout) {
        return new LoraConfig(r, loraAlpha, dropout, useRslora, targetModules, modulesToSave);
    }

    public LoraConfig withRslora(boolean rslora) {
        return new LoraConfig(r, loraAlpha, loraDropout, rslora, targetModules, modulesToSave);
    }

    public LoraConfig withModulesToSave(List<String> modules) {
        return new LoraConfig(r, loraAlpha, loraDropout, useRslora, targetModules, modules);
    }

    /** The factor on {@code B A x}. */
    public double scaling() {
        return useRslora ? loraAlpha / Math.sqrt(r) : loraAlpha / r;
    }

    @Override
    public String peftType() {
        return PEFT_TYPE;
    }

    @Override
    public LoraAdapter attach(CausalLM model, String adapterName, long seed) {
        return LoraAdapter.attach(this, model, adapterName, seed);
    }

    /** PEFT's count with {@code bias="none"}: {@code r * (in + out)} per targeted Linear, plus modules to save. */
    @Override
    public long trainableParameters(CausalLM skeleton) {
        long lora = targetModules.resolve(skeleton).stream().mapToLong(l -> (long) r * (l.inFeatures()
                + l.outFeatures())).sum();
        return lora + ModulesToSave.count(skeleton, modulesToSave);
    }

    /**
     * Keys PEFT has read since its early releases, plus {@code use_rslora}; {@code modules_to_save} only when set.
     * The adapter adds {@code fan_in_fan_out} when its targets are GPT-2 Conv1D layers.
     */
    @Override
    public ObjectNode toJson(String baseModelNameOrPath) {
        ObjectNode n = jsonHeader(baseModelNameOrPath);
        n.put("task_type", "CAUSAL_LM");
        n.put("r", r);
        putNumber(n, "lora_alpha", loraAlpha);
        n.put("lora_dropout", loraDropout);
        n.put("use_rslora", useRslora);
        n.set("target_modules", targetModules.toJson());
        n.put("bias", "none");
        if (!modulesToSave.isEmpty()) {
            modulesToSave.forEach(n.putArray("modules_to_save")::add);
        }
        return n;
    }

    /** Reads PEFT's {@code adapter_config.json}, rejecting LoRA variants peft-core does not implement. */
    public static LoraConfig fromJson(JsonNode n) {
        ConfigReader c = ConfigReader.saved(n, "lora");
        if (!c.has("r")) {
            throw c.invalid("r", "is missing from adapter_config.json");
        }
        return read(c);
    }

    /**
     * PEFT's keys, its defaults where it has them ({@code r} 8, {@code lora_alpha} 8, no dropout); LoRA variants
     * peft-core does not implement are errors naming their key. {@code target_modules} defaults to
     * {@code ["q_proj", "v_proj"]}, PEFT's choice for the Llama, Mistral and Qwen2 families.
     */
    static LoraConfig read(ConfigReader c) {
        c.ignore("peft_type", "base_model_name_or_path", "task_type", "fan_in_fan_out", "inference_mode");
        if (!c.text("bias", "none").equals("none")) {
            throw c.invalid("bias", "'" + c.text("bias", "") + "' is not supported (only \"none\")");
        }
        for (String flag : new String[] {"use_dora", "use_qalora", "lora_bias"}) {
            if (c.has(flag) && c.node(flag).asBoolean(false)) {
                throw c.invalid(flag, "is not supported");
            }
        }
        for (String map : new String[] {"rank_pattern", "alpha_pattern"}) {
            if (c.has(map) && c.node(map).size() > 0) {
                throw c.invalid(map, "is not supported: " + c.node(map));
            }
        }
        for (String option : new String[] {"layers_to_transform", "exclude_modules", "target_parameters",
            "layer_replication"}) {
            if (c.has(option)) {
                throw c.invalid(option, "is not supported: " + c.node(option));
            }
        }
        TargetModules targets = c.has("target_modules") ? TargetModules.fromJson(c.node("target_modules"))
                : TargetModules.of("q_proj", "v_proj");
        LoraConfig config = new LoraConfig(c.integer("r", 8), c.number("lora_alpha", 8), c.number("lora_dropout", 0),
                c.bool("use_rslora", false), targets, c.texts("modules_to_save"));
        c.finish();
        return config;
    }

    /** Integers as JSON integers (PEFT writes {@code lora_alpha: 16}, not 16.0). */
    private static void putNumber(ObjectNode n, String key, double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            n.put(key, (long) v);
        } else {
            n.put(key, v);
        }
    }
}
