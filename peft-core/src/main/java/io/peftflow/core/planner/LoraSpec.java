package io.peftflow.core.planner;

import io.peftflow.core.PeftCoreException;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.nn.Linear;
import java.util.List;

/**
 * LoRA's trainable parameter count. {@code targetModules} match as in HF PEFT: a module is targeted when its
 * full name equals an entry or ends with {@code "." + entry}; {@code "all-linear"} targets every Linear but
 * the output head.
 */
public record LoraSpec(int r, List<String> targetModules) implements PeftSpec {
    public static final String ALL_LINEAR = "all-linear";

    public LoraSpec {
        if (r <= 0) {
            throw new PeftCoreException("LoRA rank r must be positive, got " + r);
        }
        targetModules = List.copyOf(targetModules);
    }

    /** The Linears this spec targets; an exception if none match (a misspelt target). */
    public List<Linear> targets(CausalLM model) {
        List<Linear> hits = model.modulesOfType(Linear.class).stream().filter(this::matches).toList();
        if (hits.isEmpty()) {
            throw new PeftCoreException("target modules " + targetModules + " match no Linear of "
                    + model.config().architecture().hfName());
        }
        return hits;
    }

    private boolean matches(Linear l) {
        String n = l.name();
        if (targetModules.contains(ALL_LINEAR)) {
            return !n.equals("lm_head");
        }
        return targetModules.stream().anyMatch(t -> n.equals(t) || n.endsWith("." + t));
    }

    @Override
    public long trainableParameters(CausalLM skeleton) {
        return targets(skeleton).stream().mapToLong(l -> (long) r * (l.inFeatures() + l.outFeatures())).sum();
    }
}
