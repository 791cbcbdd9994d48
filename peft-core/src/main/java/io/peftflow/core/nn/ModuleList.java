package io.peftflow.core.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/** Children named 0..n-1 ({@code model.layers.0}, ...), like {@code torch.nn.ModuleList}. */
public final class ModuleList<M extends Module> extends Module {
    private final List<M> items = new ArrayList<>();

    /** Builds {@code n} children with {@code factory.apply(childPath)}. */
    public ModuleList(String name, int n, Function<String, M> factory) {
        super(name);
        for (int i = 0; i < n; i++) {
            String local = Integer.toString(i);
            items.add(addChild(local, factory.apply(childName(local))));
        }
    }

    public M get(int i) {
        return items.get(i);
    }

    public int size() {
        return items.size();
    }

    public List<M> items() {
        return Collections.unmodifiableList(items);
    }
}
