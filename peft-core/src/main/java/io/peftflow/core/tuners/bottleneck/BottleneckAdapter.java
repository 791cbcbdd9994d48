package io.peftflow.core.tuners.bottleneck;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.norm.Dropout;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.DecoderLayer;
import io.peftflow.core.nn.HookList;
import io.peftflow.core.nn.Module;
import io.peftflow.core.nn.Parameter;
import io.peftflow.core.tuners.BaseAdapter;
import io.peftflow.core.tuners.Dense;
import io.peftflow.core.tuners.Fp32;
import io.peftflow.core.tuners.Inits;
import io.peftflow.core.tuners.ModuleDict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Bottleneck adapters on every decoder layer's insertion points (see {@link BottleneckConfig} for placement and
 * residuals). Parameter names are AdapterHub's for Llama, and are also the saved keys:
 * {@code model.layers.<i>.output_adapters.adapters.<name>.adapter_down.0.weight}, {@code ...adapter_up.bias},
 * and {@code attention_adapters} for the Houlsby adapter after attention.
 */
public final class BottleneckAdapter extends BaseAdapter<BottleneckConfig> {
    static final String ATTENTION = "attention_adapters";
    static final String OUTPUT = "output_adapters";

    private record Point(Module layer, String local, HookList hooks, ModuleDict adapters, Dense down, Dense up) {
    }

    private final List<Point> points = new ArrayList<>();

    private BottleneckAdapter(String name, BottleneckConfig config) {
        super(name, config);
    }

    static BottleneckAdapter attach(BottleneckConfig config, CausalLM model, String name, long seed) {
        BottleneckAdapter adapter = new BottleneckAdapter(name, config);
        long hidden = model.config().hiddenSize();
        long m = config.bottleneckSize(hidden);
        for (DecoderLayer layer : model.layers()) {
            if (config.mhAdapter()) {
                adapter.addPoint((Module) layer, ATTENTION, layer.afterAttention(), hidden, m, model.manager(), seed);
            }
            if (config.outputAdapter()) {
                adapter.addPoint((Module) layer, OUTPUT, layer.afterMlp(), hidden, m, model.manager(), seed);
            }
        }
        return adapter;
    }

    private void addPoint(Module layer, String local, HookList hooks, long hidden, long m, NDManager manager,
                          long seed) {
        ModuleDict adapters = ModuleDict.under(ModuleDict.under(layer, local), "adapters");
        String key = adapters.name();
        ModuleDict unit = adapters.registerModule(name(), new ModuleDict(adapters.childName(name())));
        ModuleDict downSeq = unit.registerModule("adapter_down", new ModuleDict(unit.childName("adapter_down")));
        Dense down = downSeq.registerModule("0", new Dense(downSeq.childName("0"), hidden, m, true));
        Dense up = unit.registerModule("adapter_up", new Dense(unit.childName("adapter_up"), m, hidden, true));
        if ("bert".equals(config().initWeights())) {
            Inits.normal(down.weight(), manager, seed, key + ".adapter_down", 0.02);
            Inits.normal(up.weight(), manager, seed, key + ".adapter_up", 0.02);
        } else {
            Inits.kaimingUniformSqrt5(down.weight(), manager, seed, key + ".adapter_down");
            Inits.zeros(up.weight(), manager);
        }
        Inits.zeros(down.bias(), manager);
        Inits.zeros(up.bias(), manager);
        boolean seeWholeOutput = config().originalLnBefore();
        // The block adds the residual h itself, so the hook returns the sub-layer output plus the adapter's term.
        hooks.add(name(), (sub, h) -> sub.add(bottleneck(seeWholeOutput ? sub.add(h) : sub, down, up)));
        points.add(new Point(layer, local, hooks, adapters, down, up));
    }

    private NDArray bottleneck(NDArray x, Dense down, Dense up) {
        BottleneckConfig c = config();
        NDArray y = up.forward(c.activate(down.forward(Fp32.of(x))));
        if (c.scaling() != 1.0) {
            y = io.peftflow.core.nn.Scalars.mul(y, c.scaling());
        }
        if (isTraining() && c.dropout() > 0) {
            y = Dropout.dropout(y, (float) c.dropout(), true).singletonOrThrow();
        }
        return Fp32.like(y, x);
    }

    @Override
    public Map<String, Parameter> parameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (Point p : points) {
            for (Dense d : new Dense[] {p.down(), p.up()}) {
                out.put(d.weight().name(), d.weight());
                out.put(d.bias().name(), d.bias());
            }
        }
        return out;
    }

    /** The in-model names (AdapterHub's layout) are the saved keys. */
    @Override
    public Map<String, Parameter> savedParameters() {
        return parameters();
    }

    /**
     * The saved keys under the adapter name the file uses (AdapterHub's {@code load_as}): a server loads many adapters
     * on one base under names of its own, whatever name training saved them under.
     */
    @Override
    public Map<String, Parameter> savedParameters(Set<String> fileKeys) {
        String marker = "." + OUTPUT + ".adapters.";
        String savedName = fileKeys.stream().filter(k -> k.contains(marker)).findFirst()
                .map(k -> k.substring(k.indexOf(marker) + marker.length()))
                .map(rest -> rest.substring(0, Math.max(0, rest.indexOf('.')))).orElse(name());
        if (savedName.isEmpty() || savedName.equals(name())) {
            return parameters();
        }
        Map<String, Parameter> out = new LinkedHashMap<>();
        parameters().forEach((n, p) -> out.put(n.replace(".adapters." + name() + ".", ".adapters." + savedName + "."),
                p));
        return out;
    }

    @Override
    protected void switchHooks(boolean on) {
        points.forEach(p -> p.hooks().setEnabled(name(), on));
    }

    @Override
    public void detach() {
        parameters().values().forEach(param -> param.array().close());
        for (Point p : points) {
            p.hooks().remove(name());
            ModuleDict pointDict = (ModuleDict) p.layer().children().get(p.local());
            p.adapters().removeFrom(pointDict, name());
            if (pointDict.children().isEmpty()) {
                p.layer().unregisterModule(p.local());
            }
        }
        points.clear();
    }
}
