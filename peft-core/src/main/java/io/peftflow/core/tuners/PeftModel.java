package io.peftflow.core.tuners;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.generation.GreedyGenerator;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.CausalLmLoss;
import io.peftflow.core.model.ForwardArgs;
import io.peftflow.core.model.LayerGradients;
import io.peftflow.core.nn.Kernels;
import io.peftflow.core.nn.Linear;
import io.peftflow.core.nn.Parameter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A frozen base model with named adapters, like PEFT's {@code PeftModel}. Several adapters can be active at once
 * (a language adapter stacked with a domain adapter); active adapters apply in the order they were added, each
 * on the previous one's output. Only active adapters' parameters are trainable ({@code requires_grad}), frozen ones'
 * and base weights never are. Does not own the base model: close that yourself.
 */
public final class PeftModel {
    private final CausalLM base;
    private final Map<String, Adapter> adapters = new LinkedHashMap<>();
    /** Adapters that apply when active but never train (a stack's lower layers under a new adapter). */
    private final Set<String> frozen = new HashSet<>();

    public PeftModel(CausalLM base) {
        this.base = base;
        base.setTrainable(false);
    }

    public CausalLM base() {
        return base;
    }

    /** Creates an adapter from {@code config}, seeded, and makes it active alongside those already active. */
    public Adapter add(String name, AdapterConfig config, long seed) {
        if (name == null || !name.matches("[A-Za-z0-9_-]+")) {
            throw new PeftCoreException("adapter name must be letters, digits, '_' or '-', got '" + name + "'");
        }
        if (adapters.containsKey(name)) {
            throw new PeftCoreException("an adapter named " + name + " already exists");
        }
        Adapter adapter = config.attach(base, name, seed);
        adapters.put(name, adapter);
        try {
            checkOneInputAdapter();
        } catch (PeftCoreException e) {
            remove(name);
            throw e;
        }
        refreshTrainable();
        return adapter;
    }

    /** Saves one adapter as {@code adapter_config.json} + {@code adapter_model.safetensors} (F32). */
    public void save(String name, Path dir, String baseModelNameOrPath) {
        AdapterFiles.save(adapter(name), dir, baseModelNameOrPath);
    }

    /**
     * Loads an adapter saved by {@link #save} or by HF PEFT, active, under {@code name}. Every saved key must match
     * a parameter the config creates and vice versa; otherwise the error names the key and the file.
     */
    public Adapter load(Path dir, String name) {
        AdapterConfig config = AdapterFiles.readConfig(dir);
        Adapter adapter = add(name, config, 0);
        try {
            AdapterFiles.loadWeights(adapter, dir, base);
        } catch (RuntimeException e) {
            remove(name);
            throw e;
        }
        return adapter;
    }

    /**
     * Replaces an existing adapter's weights with saved ones (resuming from a checkpoint). The saved config must
     * give the same keys and shapes; the adapter keeps its name, state and place in the stack.
     */
    public void loadWeights(String name, Path dir) {
        AdapterFiles.loadWeights(adapter(name), dir, base);
    }

    /**
     * Keeps {@code name}'s weights fixed: still applied while active, never trainable and without dropout, so a new
     * adapter added after it trains on top of it (PEFT's stacked adapters with the lower ones frozen).
     */
    public void freeze(String name) {
        adapter(name).setTraining(false);
        frozen.add(name);
        refreshTrainable();
    }

    public Adapter adapter(String name) {
        Adapter a = adapters.get(name);
        if (a == null) {
            throw new PeftCoreException("no adapter named " + name + "; adapters: " + adapters.keySet());
        }
        return a;
    }

    public List<String> adapterNames() {
        return List.copyOf(adapters.keySet());
    }

    /** Makes exactly these adapters active (in their order of addition); the others stay loaded but off. */
    public void setActive(String... names) {
        Set<String> wanted = Set.of(names);
        wanted.forEach(this::adapter);
        adapters.values().forEach(a -> a.setEnabled(wanted.contains(a.name())));
        checkOneInputAdapter();
        refreshTrainable();
    }

    public void enable(String name) {
        adapter(name).setEnabled(true);
        try {
            checkOneInputAdapter();
        } catch (PeftCoreException e) {
            adapter(name).setEnabled(false);
            throw e;
        }
        refreshTrainable();
    }

    public void disable(String name) {
        adapter(name).setEnabled(false);
        refreshTrainable();
    }

    public List<String> activeAdapters() {
        return adapters.values().stream().filter(Adapter::isEnabled).map(Adapter::name).toList();
    }

    /** Detaches and frees an adapter. */
    public void remove(String name) {
        adapter(name).detach();
        adapters.remove(name);
        frozen.remove(name);
    }

    /** Dropout on (true) or off (false, the default) in every adapter. */
    public void train(boolean training) {
        adapters.values().forEach(a -> a.setTraining(training && !frozen.contains(a.name())));
    }

    /** Logits {@code [B, P+T, V]}: with an active prompt adapter the first P positions are its virtual tokens. */
    public NDArray forward(ForwardArgs args) {
        ForwardArgs in = prepareInputs(args);
        return withActiveAdapters(in, () -> base.forward(in));
    }

    /** Final hidden states {@code [B, P+T, H]} (for a classification head). */
    public NDArray hiddenStates(ForwardArgs args) {
        ForwardArgs in = prepareInputs(args);
        return withActiveAdapters(in, () -> base.hiddenStates(in));
    }

    /** Runs a forward pass between the active adapters' {@code beforeForward} and {@code afterForward}. */
    private <T> T withActiveAdapters(ForwardArgs in, java.util.function.Supplier<T> pass) {
        NDArray anchor = in.inputIds() != null ? in.inputIds() : in.inputsEmbeds();
        return withActiveAdapters(anchor.getManager(), pass);
    }

    /**
     * Runs {@code pass} (forwards of {@link #base()}) with the active adapters prepared for it as {@link #forward}
     * prepares them, their per-pass state in {@code scope}: LoRA's packed weights, without which its hooks run one by
     * one and a layer never takes the fused kernel.
     */
    public <T> T withActiveAdapters(NDManager scope, java.util.function.Supplier<T> pass) {
        try (Prepared prepared = prepareActive(scope)) {
            return pass.get();
        }
    }

    /**
     * The active adapters prepared as {@link #withActiveAdapters} prepares them, until closed: for a caller that runs
     * many passes of {@link #base()} between other work (a decoding batch's steps). Passes that prepare the adapters
     * meanwhile nest inside it.
     */
    public Prepared prepareActive(NDManager scope) {
        List<Adapter> active = enabledAdapters();
        for (int i = 0; i < active.size(); i++) {
            try {
                active.get(i).beforeForward(scope, base.dtype());
            } catch (RuntimeException e) {
                // those already prepared are not left prepared (a later pass outside any would see their state)
                active.subList(0, i).forEach(Adapter::afterForward);
                throw e;
            }
        }
        return new Prepared(active);
    }

    /** Adapters prepared by {@link #prepareActive}; closing ends their preparation. */
    public final class Prepared implements AutoCloseable {
        private final List<Adapter> prepared;

        private Prepared(List<Adapter> prepared) {
            this.prepared = prepared;
        }

        /**
         * Whether these are still the active adapters (the same objects: a re-attached or another adapter, e.g. a
         * promoted version, is not). Weights changed in place under a preparation are not seen (as within a pass).
         */
        public boolean current() {
            List<Adapter> now = enabledAdapters();
            if (now.size() != prepared.size()) {
                return false;
            }
            for (int i = 0; i < now.size(); i++) {
                if (now.get(i) != prepared.get(i)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void close() {
            prepared.forEach(Adapter::afterForward);
        }
    }

    private List<Adapter> enabledAdapters() {
        return adapters.values().stream().filter(Adapter::isEnabled).toList();
    }

    /**
     * Next-token loss as PEFT computes it for causal LMs: labels {@code [B, T]} get {@link #virtualTokens()}
     * ignored positions in front, so virtual tokens never count.
     */
    public CausalLmLoss.Result loss(ForwardArgs args, NDArray labels) {
        int p = virtualTokens();
        NDArray shifted = p == 0 ? labels : NDArrays.concat(new NDList(labels.getManager().full(
                new Shape(labels.getShape().get(0), p), (int) CausalLmLoss.IGNORE_INDEX).toType(DataType.INT64, false),
                labels.toType(DataType.INT64, false)), 1);
        Linear head = base.lmHead();
        if (isPlainFrozen(head)) {
            // a frozen plain LM head: the loss straight from the hidden states, never the whole logits
            NDArray hidden = hiddenStates(args);
            CausalLmLoss.Result r = CausalLmLoss.fromHidden(hidden, head.weight().array(), shifted);
            hidden.close();
            return r;
        }
        NDArray logits = forward(args);
        CausalLmLoss.Result r = CausalLmLoss.compute(logits, shifted);
        // The loss keeps what its backward needs; the [B, T, V] logits handle is done with.
        logits.close();
        return r;
    }

    private static boolean isPlainFrozen(Linear head) {
        return head.hooks().enabled().isEmpty() && head.bias() == null && !head.fanInFanOut()
                && !head.weight().isTrainable();
    }

    /** A training pass's summed loss and the gradients of the parameters asked for. */
    public record LossGradients(NDArray lossSum, List<NDArray> gradients) {
    }

    /**
     * {@link #loss}'s sum and the gradients of {@code lossFactor * loss} with respect to {@code params} (the trainable
     * parameters' arrays), in {@code scope}: computed by the base model's hand-written layer backward passes
     * ({@link CausalLM#lossWithLayerGradients}), which the adapter's packing of its weights turns into the parameters'
     * gradients with a vector-Jacobian product of a few autograd nodes. Null where that path does not apply, and the
     * caller runs autograd: not exactly one active adapter, or one that is frozen, a prompt adapter or trains more than
     * low-rank layer updates ({@link Adapter#trainsOnlyLowRank}); a trainable or adapted LM head; a base or pass
     * without it. Must run under a {@code GradientCollector} (the packing is recorded).
     */
    public LossGradients layerGradients(ForwardArgs args, NDArray labels, NDArray lossFactor, List<NDArray> params,
                                        NDManager scope) {
        List<Adapter> active = adapters.values().stream().filter(Adapter::isEnabled).toList();
        if (active.size() != 1 || frozen.contains(active.get(0).name()) || !active.get(0).trainsOnlyLowRank()
                || !isPlainFrozen(base.lmHead())) {
            return null;
        }
        LayerGradients g = withActiveAdapters(args, () -> base.lossWithLayerGradients(args,
                labels.toType(DataType.INT64, false), lossFactor));
        if (g == null) {
            return null;
        }
        return new LossGradients(g.lossSum(), Kernels.gradients(g.updates(), g.gradients(), params, scope));
    }

    /**
     * Greedy, KV-cached generation through the active adapters: layer adapters act through the base model's hooks
     * (prepared once per generation as {@link #forward} prepares a pass, so LoRA runs inside the fused kernels), an
     * active prompt adapter's virtual tokens go in front of every prompt.
     */
    public GreedyGenerator generator() {
        return new GreedyGenerator(base, generationPrefix().orElse(null), this::withActiveAdapters);
    }

    /** The active prompt adapter's virtual tokens as generation puts them in front of a prompt, if any. */
    public Optional<GreedyGenerator.Prefix> generationPrefix() {
        return activeInputAdapter().map(a -> a.generationPrefix(base));
    }

    /** Virtual tokens the active prompt adapter prepends (0 without one). */
    public int virtualTokens() {
        return activeInputAdapter().map(InputAdapter::virtualTokens).orElse(0);
    }

    /** Base parameters plus every adapter's, each once (PEFT's "all params"). */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> all = new LinkedHashMap<>(base.namedParameters());
        Map<Parameter, Boolean> seen = new IdentityHashMap<>();
        all.values().forEach(p -> seen.put(p, Boolean.TRUE));
        for (Adapter a : adapters.values()) {
            a.parameters().forEach((n, p) -> {
                if (seen.put(p, Boolean.TRUE) == null) {
                    all.put(n, p);
                }
            });
        }
        return all;
    }

    /** What the optimizer updates: the active adapters' parameters. */
    public List<Parameter> trainableParameters() {
        return namedParameters().values().stream().filter(Parameter::isTrainable).toList();
    }

    public long trainableParameterCount() {
        return trainableParameters().stream().mapToLong(Parameter::numel).sum();
    }

    public long parameterCount() {
        return namedParameters().values().stream().mapToLong(Parameter::numel).sum();
    }

    /** PEFT's {@code print_trainable_parameters} line, same counts and format. */
    public String trainableParametersReport() {
        long trainable = trainableParameterCount();
        long all = parameterCount();
        return String.format(Locale.ROOT, "trainable params: %,d || all params: %,d || trainable%%: %.4f", trainable,
                all, 100.0 * trainable / all);
    }

    private ForwardArgs prepareInputs(ForwardArgs args) {
        return activeInputAdapter().map(a -> a.prepend(base, args)).orElse(args);
    }

    private Optional<InputAdapter> activeInputAdapter() {
        return adapters.values().stream().filter(a -> a instanceof InputAdapter && a.isEnabled())
                .map(InputAdapter.class::cast).findFirst();
    }

    private void checkOneInputAdapter() {
        List<String> active = new ArrayList<>();
        adapters.values().stream().filter(a -> a instanceof InputAdapter && a.isEnabled())
                .forEach(a -> active.add(a.name()));
        if (active.size() > 1) {
            throw new PeftCoreException("only one prompt adapter can be active at a time, got " + active
                    + "; disable one first");
        }
    }

    private void refreshTrainable() {
        for (Adapter a : adapters.values()) {
            boolean trainable = a.isEnabled() && !frozen.contains(a.name());
            a.parameters().values().forEach(p -> p.setTrainable(trainable));
        }
    }
}
