package io.peftflow.core.tuners.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.nn.Kernels;
import io.peftflow.core.nn.Linear;
import io.peftflow.core.nn.LowRank;
import io.peftflow.core.nn.LowRankHook;
import io.peftflow.core.tuners.Adapter;
import io.peftflow.core.tuners.PeftModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Several LoRA adapters of one base in one forward pass, each row through its own adapter (S-LoRA/Punica's
 * gathered matmul): per targeted Linear the adapters' {@code A} and {@code scaling * B} are stacked once, zero-padded
 * to the largest rank (and zero where an adapter does not target the Linear), and every row's pair is gathered by
 * its adapter index when the rows are set, so the base matmuls run once for the whole batch. While attached the
 * adapters' own hooks are off; closing restores the active set. Inference only: no dropout, no merged adapters, no
 * {@code modules_to_save}.
 */
public final class RowLora implements AutoCloseable {
    private static final String HOOK = "row-lora";

    private final PeftModel model;
    private final List<String> restore;
    private final NDManager manager;
    private final List<Target> targets = new ArrayList<>();
    /** The current rows' pairs per target ({@link #rows}), in their own scope. */
    private NDManager gathered;
    private int rowCount;
    private NDArray[] rowA;
    private NDArray[] rowB;
    /** The stacked q/k/v pairs of the current rows where all share one adapter (2-D pairs), else null. */
    private LowRank.Packing packing;

    /** A targeted Linear with all adapters' A^T {@code [N, in, r]} and (scaling B)^T {@code [N, r, out]}. */
    private record Target(Linear linear, NDArray a, NDArray b) {
    }

    private RowLora(PeftModel model, NDManager manager) {
        this.model = model;
        this.restore = model.activeAdapters();
        this.manager = manager;
    }

    /** Whether {@code adapter} can share a pass with other adapters through this class. */
    public static boolean mixable(Adapter adapter) {
        return adapter instanceof LoraAdapter l && !l.isMerged() && l.modulesToSave().isEmpty();
    }

    /** Stacks {@code adapters} (row adapter index = position in this list) and hooks them on their targets. */
    public static RowLora attach(PeftModel model, List<String> adapters) {
        List<LoraAdapter> loras = new ArrayList<>();
        for (String name : adapters) {
            Adapter a = model.adapter(name);
            if (!mixable(a)) {
                throw new PeftCoreException("adapter " + name + " cannot share a batch with others: only unmerged "
                        + "LoRA adapters without modules_to_save can");
            }
            loras.add((LoraAdapter) a);
        }
        if (loras.isEmpty()) {
            throw new PeftCoreException("a mixed batch needs at least one adapter");
        }
        RowLora out = new RowLora(model, model.base().manager().newSubManager());
        model.setActive();
        try {
            out.hook(loras, model.base().dtype());
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
        return out;
    }

    private void hook(List<LoraAdapter> loras, DataType dtype) {
        // each targeted Linear (in model order) with every adapter's layer on it, or none
        Map<Linear, LoraAdapter.Layer[]> byTarget = new LinkedHashMap<>();
        for (int i = 0; i < loras.size(); i++) {
            for (LoraAdapter.Layer l : loras.get(i).layers()) {
                byTarget.computeIfAbsent(l.target(), k -> new LoraAdapter.Layer[loras.size()])[i] = l;
            }
        }
        for (Map.Entry<Linear, LoraAdapter.Layer[]> e : byTarget.entrySet()) {
            Linear target = e.getKey();
            LoraAdapter.Layer[] layers = e.getValue();
            long rank = 0;
            for (LoraAdapter.Layer l : layers) {
                rank = Math.max(rank, l == null ? 0 : l.a().weight().shape().get(0));
            }
            NDList as = new NDList();
            NDList bs = new NDList();
            for (int i = 0; i < layers.length; i++) {
                NDArray a = manager.zeros(new Shape(rank, target.inFeatures()), DataType.FLOAT32);
                NDArray b = manager.zeros(new Shape(target.outFeatures(), rank), DataType.FLOAT32);
                if (layers[i] != null) {
                    long r = layers[i].a().weight().shape().get(0);
                    a.set(new NDIndex(":{}", r), layers[i].a().weight().array());
                    NDArray scaled = layers[i].b().weight().array().mul(loras.get(i).scaling());
                    scaled.attach(manager);
                    b.set(new NDIndex(":, :{}", r), scaled);
                }
                as.add(a.transpose());
                bs.add(b.transpose());
            }
            // [N, in, r] and [N, r, out], dense (stacked from the transposes, so a row's gathered pair is dense too,
            // as the native decode engine reads it): a row's x [T, in] times its pair is its update [T, out]
            NDArray stackedA = NDArrays.stack(as).toType(dtype, false);
            NDArray stackedB = NDArrays.stack(bs).toType(dtype, false);
            stackedA.attach(manager);
            stackedB.attach(manager);
            target.hooks().add(HOOK, new RowHook(this, targets.size()));
            targets.add(new Target(target, stackedA, stackedB));
        }
    }

    /** A dense copy of a strided {@code view} (flatten copies one), its temporaries in {@code scope}. */
    private static NDArray dense(NDArray view, NDManager scope) {
        view.attach(scope);
        NDArray flat = view.flatten();
        flat.attach(scope);
        return flat.reshape(view.getShape());
    }

    /**
     * Sets each row's adapter (an index into the attached list) for the following forward passes. Every target's
     * pairs are gathered here, once: a decode loop then runs two matmuls per target and step, nothing more.
     */
    public void rows(int[] adapterOfRow) {
        if (gathered != null) {
            gathered.close();
        }
        gathered = manager.newSubManager();
        rowCount = adapterOfRow.length;
        boolean one = Arrays.stream(adapterOfRow).allMatch(i -> i == adapterOfRow[0]);
        NDArray index = one ? null : gathered.create(Arrays.stream(adapterOfRow).asLongStream().toArray());
        packing = one ? new LowRank.Packing(gathered) : null;
        rowA = new NDArray[targets.size()];
        rowB = new NDArray[targets.size()];
        for (int t = 0; t < targets.size(); t++) {
            // one adapter for all rows: its A [r, in] and scaling B [out, r] for the whole batch, no per-row copies
            // (dense copies of the transposes: flatten copies a strided view)
            Target target = targets.get(t);
            rowA[t] = one ? dense(target.a().get(adapterOfRow[0]).transpose(), gathered)
                    : target.a().get(new NDIndex("{}", index));
            rowB[t] = one ? dense(target.b().get(adapterOfRow[0]).transpose(), gathered)
                    : target.b().get(new NDIndex("{}", index));
            rowA[t].attach(gathered);
            rowB[t].attach(gathered);
        }
    }

    /** Adds each row's update; hands the rows' pairs to a fused layer kernel as one {@link LowRank}. */
    private record RowHook(RowLora rows, int target) implements LowRankHook {
        @Override
        public NDArray apply(NDArray output, NDArray input) {
            if (rows.gathered == null || rows.rowCount != input.getShape().get(0)) {
                throw new PeftCoreException("a mixed-adapter pass needs one adapter index per row: "
                        + input.getShape() + " rows, " + (rows.gathered == null ? "none" : rows.rowCount + " indices")
                        + " set");
            }
            return Kernels.loraPacked(output, input, rows.rowA[target], rows.rowB[target]);
        }

        @Override
        public LowRank lowRank() {
            return rows.gathered == null ? null : new LowRank(rows.rowA[target], rows.rowB[target], rows.packing);
        }
    }

    @Override
    public void close() {
        targets.forEach(t -> t.linear().hooks().remove(HOOK));
        targets.clear();
        manager.close();
        model.setActive(restore.toArray(new String[0]));
    }
}
