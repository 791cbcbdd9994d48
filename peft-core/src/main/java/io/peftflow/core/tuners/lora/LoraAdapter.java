package io.peftflow.core.tuners.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.norm.Dropout;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.nn.Kernels;
import io.peftflow.core.nn.Linear;
import io.peftflow.core.nn.LowRank;
import io.peftflow.core.nn.LowRankHook;
import io.peftflow.core.nn.Parameter;
import io.peftflow.core.nn.Scalars;
import io.peftflow.core.tuners.BaseAdapter;
import io.peftflow.core.tuners.Dense;
import io.peftflow.core.tuners.Inits;
import io.peftflow.core.tuners.ModuleDict;
import io.peftflow.core.tuners.ModulesToSave;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LoRA on each targeted Linear, as PEFT's {@code lora.Linear}: {@code y = base(x) + B(A(dropout(x))) * scaling}
 * with {@code A} {@code [r, in]} kaiming-uniform (a = sqrt 5, i.e. uniform(+-1/sqrt(in))) and {@code B}
 * {@code [out, r]} zeros, so a new adapter leaves the model unchanged. In-model names follow PEFT
 * ({@code q_proj.lora_A.<adapter>.weight}); {@link #merge()} folds {@code B A * scaling} into the base weight
 * (transposed for GPT-2 Conv1D) and {@link #unmerge()} takes it out again.
 */
public final class LoraAdapter extends BaseAdapter<LoraConfig> {
    record Layer(Linear target, ModuleDict dictA, ModuleDict dictB, Dense a, Dense b) {
    }

    private final List<Layer> layers = new ArrayList<>();
    private final ModulesToSave modulesToSave;
    private final float scaling;
    private boolean merged;
    /**
     * Each open preparation's A and scaling * B in the activations' dtype, by layer, innermost first: a pass inside
     * another's (a pass between two decode steps of a batch that keeps its preparation) packs its own and leaves the
     * outer one as it was. Empty outside PeftModel passes.
     */
    private final Deque<Pack> packs = new ArrayDeque<>();

    /** One preparation's packed weights (null arrays where there is nothing to pack) and what kernels derive from them. */
    private record Pack(NDArray[] a, NDArray[] b, LowRank.Packing packing) {
    }

    private LoraAdapter(String name, LoraConfig config, ModulesToSave modulesToSave) {
        super(name, config);
        this.modulesToSave = modulesToSave;
        this.scaling = (float) config.scaling();
    }

    static LoraAdapter attach(LoraConfig config, CausalLM model, String name, long seed) {
        List<Linear> targets = config.targetModules().resolve(model);
        LoraAdapter adapter = new LoraAdapter(name, config, ModulesToSave.attach(model, name,
                config.modulesToSave()));
        NDManager manager = model.manager();
        for (Linear l : targets) {
            ModuleDict dictA = ModuleDict.under(l, "lora_A");
            ModuleDict dictB = ModuleDict.under(l, "lora_B");
            Dense a = dictA.registerModule(name, new Dense(dictA.childName(name), l.inFeatures(), config.r(), false));
            Dense b = dictB.registerModule(name, new Dense(dictB.childName(name), config.r(), l.outFeatures(), false));
            Inits.kaimingUniformSqrt5(a.weight(), manager, seed, l.name() + ".lora_A");
            Inits.zeros(b.weight(), manager);
            int index = adapter.layers.size();
            adapter.layers.add(new Layer(l, dictA, dictB, a, b));
            l.hooks().add(name, adapter.new TargetHook(index));
        }
        return adapter;
    }

    /** The hook on one target: runs the delta, or hands this pass's packed weights to a fused layer kernel. */
    private final class TargetHook implements LowRankHook {
        private final int index;

        TargetHook(int index) {
            this.index = index;
        }

        @Override
        public NDArray apply(NDArray output, NDArray input) {
            return addDelta(output, input, index);
        }

        @Override
        public LowRank lowRank() {
            Pack p = packs.peek();
            return p == null || p.a() == null || (isTraining() && config().loraDropout() > 0) ? null
                    : new LowRank(p.a()[index], p.b()[index], p.packing());
        }
    }

    /** {@code out + B(A(dropout(x))) * scaling}, fused; on an fp16 base the adapter matmuls run in fp16. */
    private NDArray addDelta(NDArray out, NDArray in, int index) {
        NDArray x = in;
        if (isTraining() && config().loraDropout() > 0) {
            x = Dropout.dropout(x, (float) config().loraDropout(), true).singletonOrThrow();
        }
        Pack p = packs.peek();
        if (p != null && p.a() != null) {
            return Kernels.loraPacked(out, x, p.a()[index], p.b()[index]);
        }
        Layer l = layers.get(index);
        return Kernels.lora(out, x, l.a().weight().array(), l.b().weight().array(), Scalars.constant(out, scaling));
    }

    /**
     * Casts all A and {@code scaling * B} to the activations' dtype once for the pass, each group in one
     * concatenation (gradients flow back to the fp32 weights through it): per target that saves two casts and a
     * multiply forward and backward, the largest share of the kernels LoRA launches (docs/BENCHMARKS.md).
     */
    @Override
    public void beforeForward(NDManager scope, DataType activations) {
        if (merged || layers.isEmpty()) {
            packs.push(new Pack(null, null, null));
            return;
        }
        NDArray any = layers.get(0).a().weight().array();
        NDArray[] packedB = Kernels.packRows(layers.stream().map(l -> l.b().weight().array()).toList(),
                Scalars.constant(any, scaling), activations, scope).toArray(new NDArray[0]);
        NDArray[] packedA = new NDArray[layers.size()];
        // A is [r, in]: one concatenation per input width
        Map<Long, List<Integer>> byWidth = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            byWidth.computeIfAbsent(layers.get(i).target().inFeatures(), k -> new ArrayList<>()).add(i);
        }
        for (List<Integer> group : byWidth.values()) {
            NDList packed = Kernels.packRows(group.stream().map(i -> layers.get(i).a().weight().array()).toList(),
                    Scalars.constant(any, 1), activations, scope);
            for (int j = 0; j < group.size(); j++) {
                packedA[group.get(j)] = packed.get(j);
            }
        }
        packs.push(new Pack(packedA, packedB, new LowRank.Packing(scope)));
    }

    @Override
    public void afterForward() {
        packs.poll();
    }

    @Override
    public boolean trainsOnlyLowRank() {
        // dropout while training makes each target's hook run itself (TargetHook.lowRank)
        return modulesToSave.copies().isEmpty() && !(isTraining() && config().loraDropout() > 0);
    }

    /** The targeted layers with their A and B (for {@link RowLora}). */
    List<Layer> layers() {
        return List.copyOf(layers);
    }

    float scaling() {
        return scaling;
    }

    /** The targeted Linears' full names. */
    public List<String> targetNames() {
        return layers.stream().map(l -> l.target().name()).toList();
    }

    @Override
    public ObjectNode configJson(String baseModelNameOrPath) {
        ObjectNode n = config().toJson(baseModelNameOrPath);
        if (layers.stream().anyMatch(l -> l.target().fanInFanOut())) {
            n.put("fan_in_fan_out", true);
        }
        return n;
    }

    @Override
    public Map<String, Parameter> parameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (Layer l : layers) {
            out.put(l.a().weight().name(), l.a().weight());
            out.put(l.b().weight().name(), l.b().weight());
        }
        modulesToSave.parameters(out);
        return out;
    }

    @Override
    public Map<String, Parameter> savedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (Layer l : layers) {
            String prefix = "base_model.model." + l.target().name();
            out.put(prefix + ".lora_A.weight", l.a().weight());
            out.put(prefix + ".lora_B.weight", l.b().weight());
        }
        modulesToSave.savedParameters(out);
        return out;
    }

    /** The trained copies of {@code modules_to_save}, by original module path. */
    public Map<String, Dense> modulesToSave() {
        return modulesToSave.copies();
    }

    @Override
    protected void switchHooks(boolean on) {
        if (merged) {
            throw new PeftCoreException("LoRA adapter " + name() + " is merged into the base weights; unmerge it first");
        }
        layers.forEach(l -> l.target().hooks().setEnabled(name(), on));
        modulesToSave.setEnabled(on);
    }

    public boolean isMerged() {
        return merged;
    }

    /** Adds {@code B A * scaling} to each base weight and switches the hooks off (inference without overhead). */
    public void merge() {
        if (merged) {
            throw new PeftCoreException("LoRA adapter " + name() + " is already merged");
        }
        if (!isEnabled()) {
            throw new PeftCoreException("LoRA adapter " + name() + " is disabled; enable it before merging");
        }
        for (Layer l : layers) {
            applyDelta(l, 1);
            l.target().hooks().setEnabled(name(), false);
        }
        merged = true;
    }

    /** Subtracts what {@link #merge()} added (exact up to fp rounding) and switches the hooks back on. */
    public void unmerge() {
        if (!merged) {
            throw new PeftCoreException("LoRA adapter " + name() + " is not merged");
        }
        for (Layer l : layers) {
            applyDelta(l, -1);
            l.target().hooks().setEnabled(name(), true);
        }
        merged = false;
    }

    private void applyDelta(Layer l, int sign) {
        NDArray w = l.target().weight().array();
        try (NDManager scope = w.getManager().newSubManager()) {
            NDArray b = l.b().weight().array().duplicate();
            b.attach(scope);
            NDArray delta = b.matMul(l.a().weight().array()).mul(sign * scaling);
            if (l.target().fanInFanOut()) {
                delta = delta.transpose();
            }
            w.addi(delta.toType(w.getDataType(), false));
        }
    }

    @Override
    public void detach() {
        if (merged) {
            unmerge();
        }
        for (Layer l : layers) {
            l.target().hooks().remove(name());
            l.dictA().removeFrom(l.target(), name());
            l.dictB().removeFrom(l.target(), name());
            l.a().weight().array().close();
            l.b().weight().array().close();
        }
        layers.clear();
        modulesToSave.detach();
    }
}
