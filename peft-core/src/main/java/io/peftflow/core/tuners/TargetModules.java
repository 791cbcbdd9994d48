package io.peftflow.core.tuners;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.nn.Linear;
import io.peftflow.core.nn.Module;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * Which {@link Linear}s an adapter targets, matched as HF PEFT does: a list of names, each equal to a module's full
 * path or to its last dotted parts ({@code q_proj} matches {@code model.layers.0.self_attn.q_proj}); a regex that
 * must match the full path; or {@code all-linear}, every Linear but the output head. Unlike PEFT, each listed name
 * must match something, so a misspelt entry beside a correct one is reported rather than silently ignored.
 */
public record TargetModules(List<String> names, String regex) {
    public static final String ALL_LINEAR = "all-linear";
    /** The config key its errors name. */
    public static final String FIELD = "target_modules";
    /** Bounds on user input: a regex's length, the number of names and each name's length. */
    public static final int MAX_REGEX_LENGTH = 256;
    public static final int MAX_NAMES = 64;
    public static final int MAX_NAME_LENGTH = 128;

    public TargetModules {
        if ((names == null) == (regex == null)) {
            throw PeftCoreException.invalidField(FIELD,
                    "target_modules must be either a list of names or one regex / all-linear");
        }
        if (names != null) {
            names = List.copyOf(names);
            if (names.isEmpty() || names.stream().anyMatch(n -> n == null || n.isBlank())) {
                throw PeftCoreException.invalidField(FIELD,
                        "target_modules must list at least one non-empty name, got " + names);
            }
            if (names.size() > MAX_NAMES || names.stream().anyMatch(n -> n.length() > MAX_NAME_LENGTH)) {
                throw PeftCoreException.invalidField(FIELD, "target_modules may list at most " + MAX_NAMES
                        + " names of at most " + MAX_NAME_LENGTH + " characters each");
            }
        } else {
            if (regex.length() > MAX_REGEX_LENGTH) {
                throw PeftCoreException.invalidField(FIELD, "target_modules regex may have at most "
                        + MAX_REGEX_LENGTH + " characters, got " + regex.length());
            }
            compile(regex);
        }
    }

    /**
     * RE2/J matches in time linear in the input, so a pattern such as {@code ((.+)+)+Q} cannot pin a core
     * (java.util.regex backtracks exponentially on it); features RE2 lacks (backreferences, lookaround) are refused.
     */
    private static Pattern compile(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw PeftCoreException.invalidField(FIELD, "target_modules regex does not compile as RE2 syntax "
                    + "(no backreferences or lookaround): " + e.getDescription());
        }
    }

    public static TargetModules of(String... names) {
        return new TargetModules(List.of(names), null);
    }

    public static TargetModules of(List<String> names) {
        return new TargetModules(names, null);
    }

    public static TargetModules regex(String fullMatch) {
        return new TargetModules(null, fullMatch);
    }

    public static TargetModules allLinear() {
        return regex(ALL_LINEAR);
    }

    /** PEFT's JSON form: an array of names, or a string (regex or {@code all-linear}). */
    public static TargetModules fromJson(JsonNode node) {
        if (node == null || node.isNull()) {
            throw PeftCoreException.invalidField(FIELD, "target_modules is missing");
        }
        if (node.isTextual()) {
            return regex(node.asText());
        }
        if (!node.isArray()) {
            throw PeftCoreException.invalidField(FIELD, "target_modules must be a list of names or a string, got "
                    + node);
        }
        List<String> names = new ArrayList<>();
        node.forEach(n -> names.add(n.asText()));
        return of(names);
    }

    public JsonNode toJson() {
        if (regex != null) {
            return JsonNodeFactory.instance.textNode(regex);
        }
        var arr = JsonNodeFactory.instance.arrayNode();
        names.forEach(arr::add);
        return arr;
    }

    /** The targeted Linears in module order; an exception naming what did not match or is not a Linear. */
    public List<Linear> resolve(CausalLM model) {
        String outputHead = model.lmHead().name();
        Pattern pattern = regex == null || ALL_LINEAR.equals(regex) ? null : compile(regex);
        List<Linear> hits = new ArrayList<>();
        Set<String> unmatched = names == null ? new TreeSet<>() : new TreeSet<>(names);
        for (Module m : model.namedModules().values()) {
            if (ALL_LINEAR.equals(regex) && m instanceof Linear l && !l.name().equals(outputHead)) {
                hits.add(l);
                continue;
            }
            if (!matches(m.name(), pattern)) {
                continue;
            }
            if (!(m instanceof Linear l)) {
                throw PeftCoreException.invalidField(FIELD, "target_modules: " + m.name() + " is a "
                        + m.getClass().getSimpleName() + "; only Linear layers can be targeted");
            }
            hits.add(l);
            if (names != null) {
                unmatched.removeIf(n -> isSuffix(m.name(), n));
            }
        }
        if (!unmatched.isEmpty() || hits.isEmpty()) {
            throw PeftCoreException.invalidField(FIELD, "target_modules "
                    + (unmatched.isEmpty() ? describe() : unmatched)
                    + " not found in " + model.config().architecture().hfName() + "; its Linear layers end in "
                    + linearSuffixes(model));
        }
        return hits;
    }

    private boolean matches(String name, Pattern pattern) {
        if (name.isEmpty()) {
            return false;
        }
        if (ALL_LINEAR.equals(regex)) {
            return false;
        }
        if (pattern != null) {
            return pattern.matches(name);
        }
        return names.stream().anyMatch(n -> isSuffix(name, n));
    }

    private static boolean isSuffix(String name, String target) {
        return name.equals(target) || name.endsWith("." + target);
    }

    private String describe() {
        return names != null ? names.toString() : "'" + regex + "'";
    }

    private static Set<String> linearSuffixes(CausalLM model) {
        Set<String> out = new TreeSet<>();
        for (Linear l : model.modulesOfType(Linear.class)) {
            out.add(l.name().substring(l.name().lastIndexOf('.') + 1));
        }
        return out;
    }
}
