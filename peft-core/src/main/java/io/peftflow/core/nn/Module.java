package io.peftflow.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.peftflow.core.PeftCoreException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node of the model tree, like {@code torch.nn.Module}: it has a dotted name equal to its Hugging Face
 * module path ({@code model.layers.0.self_attn.q_proj}; the root is ""), parameters and children.
 * Parameter names are {@code <module path>.<local name>}, exactly the checkpoint's tensor keys.
 */
public abstract class Module {
    /**
     * Closes {@code temporary} unless it is {@code result}: forward code calls this on its own intermediates once
     * nothing in Java reads them again. Autograd keeps its own references to what backward needs, so this only drops
     * what the step scope would otherwise hold until the step ends (on a GPU, gigabytes of activations: the
     * projections before their adapters, the MLP's inner activations, the residual stream of every layer).
     */
    public static void release(NDArray temporary, NDArray result) {
        if (temporary != result) {
            temporary.close();
        }
    }

    private final String name;
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();

    protected Module(String name) {
        this.name = name;
    }

    /** The full HF module path. */
    public String name() {
        return name;
    }

    /** The path of a child called {@code local}. */
    public String childName(String local) {
        return name.isEmpty() ? local : name + "." + local;
    }

    protected <M extends Module> M addChild(String local, M module) {
        if (!module.name().equals(childName(local))) {
            throw new IllegalArgumentException("child " + module.name() + " must be named " + childName(local));
        }
        if (children.putIfAbsent(local, module) != null) {
            throw new PeftCoreException("module already has a child " + local, null, childName(local));
        }
        return module;
    }

    /**
     * Registers an extra child (an adapter's module) so that its parameters show up in
     * {@link #namedParameters()} under this module's path. Its name must be {@code childName(local)}.
     */
    public <M extends Module> M registerModule(String local, M module) {
        return addChild(local, module);
    }

    /** Removes a child registered with {@link #registerModule}. */
    public Module unregisterModule(String local) {
        return children.remove(local);
    }

    protected Parameter addParameter(String local, Shape shape) {
        Parameter p = new Parameter(childName(local), shape);
        parameters.put(local, p);
        return p;
    }

    /** Shares another module's parameter under a local name (tied embeddings). */
    protected Parameter shareParameter(String local, Parameter p) {
        parameters.put(local, p);
        return p;
    }

    public Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** Parameters declared by this module itself, by local name. */
    public Map<String, Parameter> localParameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** This module and all descendants, by full name, in pre-order. */
    public Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        collectModules(out);
        return out;
    }

    private void collectModules(Map<String, Module> out) {
        out.put(name, this);
        children.values().forEach(c -> c.collectModules(out));
    }

    /**
     * All parameters by full name, each shared parameter once under its first name (as torch does for tied
     * embeddings: {@code model.embed_tokens.weight}, not {@code lm_head.weight}).
     */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        Map<Parameter, Boolean> seen = new IdentityHashMap<>();
        for (Module m : namedModules().values()) {
            for (Parameter p : m.parameters.values()) {
                if (seen.put(p, Boolean.TRUE) == null) {
                    out.put(p.name(), p);
                }
            }
        }
        return out;
    }

    /** The module at a full HF path, or an exception naming the path. */
    public Module module(String fullName) {
        Module m = namedModules().get(fullName);
        if (m == null) {
            throw new PeftCoreException("no module named " + fullName, null, fullName);
        }
        return m;
    }

    /** All descendants (and this) of a type, in pre-order. */
    public <T extends Module> List<T> modulesOfType(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Module m : namedModules().values()) {
            if (type.isInstance(m)) {
                out.add(type.cast(m));
            }
        }
        return out;
    }

    /** Freezes or unfreezes every parameter below this module. */
    public void setTrainable(boolean trainable) {
        namedParameters().values().forEach(p -> p.setTrainable(trainable));
    }

    public List<Parameter> trainableParameters() {
        return namedParameters().values().stream().filter(Parameter::isTrainable).toList();
    }

    public long parameterCount() {
        return namedParameters().values().stream().mapToLong(Parameter::numel).sum();
    }

    public long trainableParameterCount() {
        return trainableParameters().stream().mapToLong(Parameter::numel).sum();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + name + ")";
    }
}
