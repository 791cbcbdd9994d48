package io.peftflow.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import java.util.List;

/**
 * Linears that read the same input (q/k/v, gate/up), their weights concatenated once into one {@code [sum out, in]}
 * tensor so that one matmul serves them all. Each Linear's weight becomes a view of its rows: names, adapters, merges
 * and saved files see the same per-module parameters as before, and the separate copies are freed.
 */
public final class FusedLinears {
    private final List<Linear> linears;
    private final NDArray weight;
    private final NDArray[] views;

    private FusedLinears(List<Linear> linears, NDArray weight, NDArray[] views) {
        this.linears = linears;
        this.weight = weight;
        this.views = views;
    }

    /** {@code current} while it is still in use, else a new fusion of {@code linears} (freeing the old one's copy). */
    public static FusedLinears refresh(FusedLinears current, Linear... linears) {
        if (current != null) {
            if (current.weight() != null) {
                return current;
            }
            current.weight.close();
        }
        return of(linears);
    }

    /** Concatenates the (bias-free, {@code [out, in]}) weights in the first weight's manager. */
    public static FusedLinears of(Linear... linears) {
        NDList ws = new NDList(linears.length);
        for (Linear l : linears) {
            if (l.bias() != null || l.fanInFanOut()) {
                throw new IllegalArgumentException(l.name() + " cannot be fused (bias or [in, out] weight)");
            }
            ws.add(l.weight().array());
        }
        NDArray weight = NDArrays.concat(ws, 0);
        NDArray[] views = new NDArray[linears.length];
        long row = 0;
        for (int i = 0; i < linears.length; i++) {
            long n = linears[i].outFeatures();
            views[i] = weight.get(new NDIndex("{}:{}", row, row + n));
            row += n;
            NDArray old = linears[i].weight().array();
            linears[i].weight().set(views[i]);
            old.close();
        }
        return new FusedLinears(List.of(linears), weight, views);
    }

    /**
     * The concatenated weight, while it still is what the Linears hold and nothing trains it (a replaced or trainable
     * weight must take the per-Linear path, where its own array is used); otherwise null.
     */
    public NDArray weight() {
        for (int i = 0; i < views.length; i++) {
            Parameter p = linears.get(i).weight();
            if (p.array() != views[i] || p.isTrainable()) {
                return null;
            }
        }
        return weight;
    }
}
