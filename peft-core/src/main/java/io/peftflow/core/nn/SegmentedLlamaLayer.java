package io.peftflow.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;

/**
 * The training layer of {@link Kernels#llamaLayerTrain} / {@link Kernels#llamaLayerBackward} with its RMSNorms, RoPE and
 * SwiGLU run by {@link NativeTrainKernels} between the TorchScript segments {@code kernels.py}'s
 * {@code llama_layer_train} and {@code llama_layer_backward} are composed of (the same segments, so the two paths
 * differ only in those kernels): forward {@code train_qkv}, {@code train_attention}, {@code train_gate_up},
 * {@code train_down}; backward {@code linear_backward} (down), {@code backward_gate_up}, {@code backward_attention},
 * {@code backward_qkv}. Where the native kernels do not serve the activations (the CPU, under
 * {@link Kernels#segmentLayers}), TorchScript's own norms, RoPE and SwiGLU run between the segments: the layout is then
 * checked on the CPU against the whole-layer call.
 */
final class SegmentedLlamaLayer {
    private static final int Q = 0;
    private static final int V = 2;
    private static final int O = 3;
    private static final int GATE = 4;
    private static final int UP = 5;
    private static final int DOWN = 6;

    private SegmentedLlamaLayer() {
    }

    /**
     * What the backward reads: both norms' 1/rms, the residual between the branches, gate|up, down's x A^T and the
     * q|k|v, attention and gate|up segments' lists (inside libtorch).
     */
    static final class Activations implements Kernels.SavedActivations {
        private NDArray r1;
        private NDArray r2;
        private NDArray h2;
        private NDArray gateUp;
        private NDArray downXa;
        private IValue qkvList;
        private IValue attentionList;
        private IValue gateUpList;

        private Activations(NDArray r1, NDArray r2, NDArray h2, NDArray gateUp, NDArray downXa, IValue qkvList,
                            IValue attentionList, IValue gateUpList) {
            this.r1 = r1;
            this.r2 = r2;
            this.h2 = h2;
            this.gateUp = gateUp;
            this.downXa = downXa;
            this.qkvList = qkvList;
            this.attentionList = attentionList;
            this.gateUpList = gateUpList;
        }

        private void requireHeld() {
            if (h2 == null) {
                throw new IllegalStateException("layer activations already used or freed");
            }
        }

        /** A segment's list, handed over to the call that consumes it. */
        private IValue takeQkv() {
            IValue v = qkvList;
            qkvList = null;
            return v;
        }

        private IValue takeAttention() {
            IValue v = attentionList;
            attentionList = null;
            return v;
        }

        private IValue takeGateUp() {
            IValue v = gateUpList;
            gateUpList = null;
            return v;
        }

        @Override
        public void close() {
            if (h2 == null) {
                return;
            }
            for (NDArray a : new NDArray[] {r1, r2, h2, gateUp, downXa}) {
                a.close();
            }
            for (IValue v : new IValue[] {qkvList, attentionList, gateUpList}) {
                if (v != null) {
                    v.close();
                }
            }
            r1 = r2 = h2 = gateUp = downXa = null;
            qkvList = attentionList = gateUpList = null;
        }
    }

    static Kernels.LayerTrace train(NDArray h, NDArray inputNorm, NDArray qkv, NDArray o, NDArray postNorm,
                                    NDArray gateUp, NDArray down, float eps, NDArray cos, NDArray sin,
                                    LowRank[] updates) {
        PtNDManager manager = (PtNDManager) h.getManager();
        NDList xr1 = rmsNorm(h, inputNorm, eps);
        long qd = o.getShape().get(1);
        long kvd = (qkv.getShape().get(0) - qd) / 2;
        IValue[] projection = projection("train_qkv", new NDArray[] {xr1.get(0), qkv, o}, updates, Q,
                new long[] {qd, kvd, kvd}, h);
        xr1.get(0).close();
        NDArray qkvOut = tensor(projection[0], manager);
        NDList heads = ropeSplit(qkvOut, cos, sin, o);
        qkvOut.close();
        IValue[] attention = tuple(Kernels.runNoGrad("train_attention", Kernels.ivalues(Kernels.layerInputs(
                new NDArray[] {h, heads.get(0), heads.get(1), o}, updates, O, O + 1, h))));
        heads.close();
        NDArray h2 = tensor(attention[0], manager);
        NDList xr2 = rmsNorm(h2, postNorm, eps);
        long inter = gateUp.getShape().get(0) / 2;
        IValue[] mlp = projection("train_gate_up", new NDArray[] {xr2.get(0), gateUp}, updates, GATE,
                new long[] {inter, inter}, h);
        xr2.get(0).close();
        NDArray gu = tensor(mlp[0], manager);
        NDArray s = swiglu(gu);
        IValue[] out = tuple(Kernels.runNoGrad("train_down", Kernels.ivalues(Kernels.layerInputs(
                new NDArray[] {h2, s, down}, updates, DOWN, DOWN + 1, h))));
        s.close();
        return new Kernels.LayerTrace(tensor(out[0], manager), new Activations(xr1.get(1), xr2.get(1), h2, gu,
                tensor(out[1], manager), projection[1], attention[1], mlp[1]));
    }

    /**
     * A fused projection's segment ({@code train_qkv}: x, W and o; {@code train_gate_up}: x and W) for the targets
     * {@code from} on, whose outputs are {@code outs} wide; where the native kernels serve, their LoRA pairs are
     * stacked by one kernel and the segment runs as {@code train_projection} (the same list).
     */
    private static IValue[] projection(String segment, NDArray[] fixed, LowRank[] updates, int from, long[] outs,
                                       NDArray h) {
        if (NativeTrainKernels.serves(h)) {
            NDArray[] a = new NDArray[outs.length];
            NDArray[] b = new NDArray[outs.length];
            for (int i = 0; i < outs.length; i++) {
                a[i] = updates[from + i].a();
                b[i] = a[i] == null ? null : updates[from + i].scaledB();
            }
            NDList stacked = NativeTrainKernels.stackLora(a, b, outs, fixed[1].getShape().get(1));
            if (stacked != null) {
                try (stacked) {
                    return tuple(Kernels.runNoGrad("train_projection", Kernels.ivalues(new NDArray[] {fixed[0],
                            fixed[1], stacked.get(0), stacked.get(1)})));
                }
            }
        }
        return tuple(Kernels.runNoGrad(segment, Kernels.ivalues(Kernels.layerInputs(fixed, updates, from,
                from + outs.length, h))));
    }

    static NDList backward(NDArray dOut, NDArray h, NDArray inputNorm, NDArray qkv, NDArray o, NDArray postNorm,
                           NDArray gateUp, NDArray down, NDArray cos, NDArray sin, Activations saved,
                           LowRank[] updates) {
        saved.requireHeld();
        PtNDManager manager = (PtNDManager) dOut.getManager();
        try {
            // SwiGLU's product again, only where down's LoRA A needs it
            NDArray s = updates[DOWN].a() == null ? null : swiglu(saved.gateUp);
            NDList dd = list(Kernels.runNoGrad("linear_backward", Kernels.ivalues(Kernels.layerInputs(new NDArray[] {
                dOut, down, s == null ? Kernels.empty(dOut.getDevice(), dOut.getDataType()) : s, saved.downXa},
                updates, DOWN, DOWN + 1, h))), manager);
            if (s != null) {
                s.close();
            }
            NDArray dgu = swigluBackward(dd.get(0), saved.gateUp);
            dd.get(0).close();
            IValue[] gateUpIn = Kernels.ivalues(Kernels.layerInputs(new NDArray[] {dgu, gateUp}, updates, GATE,
                    UP + 1, h));
            NDList dg = list(Kernels.runNoGrad("backward_gate_up", Kernels.insert(gateUpIn, 2, saved.takeGateUp())),
                    manager);
            dgu.close();
            NDArray dh2 = rmsNormBackward(dg.get(0), saved.h2, postNorm, saved.r2, dOut);
            dg.get(0).close();
            IValue[] attentionIn = Kernels.ivalues(Kernels.layerInputs(new NDArray[] {dh2, o}, updates, O, O + 1, h));
            NDList da = list(Kernels.runNoGrad("backward_attention",
                    Kernels.insert(attentionIn, 2, saved.takeAttention())), manager);
            NDArray dqkv = ropeBackward(da.get(0), da.get(1), da.get(2), cos, sin);
            for (int i = 0; i < 3; i++) { // dq, dk, dv; the rest are o's LoRA gradients
                da.get(i).close();
            }
            IValue[] qkvIn = Kernels.ivalues(Kernels.layerInputs(new NDArray[] {dqkv, qkv, o}, updates, Q, V + 1, h));
            NDList dq = list(Kernels.runNoGrad("backward_qkv", Kernels.insert(qkvIn, 3, saved.takeQkv())), manager);
            dqkv.close();
            NDArray dh = rmsNormBackward(dq.get(0), h, inputNorm, saved.r1, dh2);
            dq.get(0).close();
            dh2.close();
            NDList grads = new NDList(1 + 2 * updates.length);
            grads.add(dh);
            grads.addAll(dq.subNDList(1));
            grads.addAll(da.subNDList(3));
            grads.addAll(dg.subNDList(1));
            grads.addAll(dd.subNDList(1));
            return grads;
        } finally {
            saved.close();
        }
    }

    static NDList rmsNorm(NDArray x, NDArray weight, float eps) {
        if (NativeTrainKernels.serves(x)) {
            return NativeTrainKernels.rmsNorm(x, weight, eps);
        }
        IValue[] yr = tuple(Kernels.runNoGrad("rms_norm_r", Kernels.ivalues(new NDArray[] {x, weight,
                Scalars.constant(x, eps)})));
        PtNDManager manager = (PtNDManager) x.getManager();
        return new NDList(tensor(yr[0], manager), tensor(yr[1], manager));
    }

    static NDArray rmsNormBackward(NDArray dy, NDArray x, NDArray weight, NDArray r, NDArray residual) {
        if (NativeTrainKernels.serves(x)) {
            return NativeTrainKernels.rmsNormBackward(dy, x, weight, r, residual);
        }
        return tensor(Kernels.runNoGrad("rms_norm_backward", Kernels.ivalues(new NDArray[] {dy.reshape(x.getShape()),
                x, weight, r, residual})), (PtNDManager) x.getManager());
    }

    static NDArray swiglu(NDArray gateUp) {
        if (NativeTrainKernels.serves(gateUp)) {
            return NativeTrainKernels.swiglu(gateUp);
        }
        return tensor(Kernels.runNoGrad("swiglu_packed", Kernels.ivalues(new NDArray[] {gateUp})),
                (PtNDManager) gateUp.getManager());
    }

    static NDArray swigluBackward(NDArray ds, NDArray gateUp) {
        if (NativeTrainKernels.serves(gateUp)) {
            return NativeTrainKernels.swigluBackward(ds, gateUp);
        }
        return tensor(Kernels.runNoGrad("swiglu_backward", Kernels.ivalues(new NDArray[] {ds, gateUp})),
                (PtNDManager) gateUp.getManager());
    }

    /** {@code [qk, v]}: RoPE on the projection's q and k heads, {@code [B, T, H + KV, D]}, and its v heads. */
    static NDList ropeSplit(NDArray qkv, NDArray cos, NDArray sin, NDArray o) {
        if (NativeTrainKernels.serves(qkv)) {
            return NativeTrainKernels.ropeSplit(qkv, cos, sin, o.getShape().get(1) / cos.getShape().tail());
        }
        IValue[] qkV = tuple(Kernels.runNoGrad("rope_split", Kernels.ivalues(new NDArray[] {qkv, cos, sin, o})));
        PtNDManager manager = (PtNDManager) qkv.getManager();
        return new NDList(tensor(qkV[0], manager), tensor(qkV[1], manager));
    }

    /** The gradient of {@link #ropeSplit}'s projection from its heads' ({@code [B, T, heads, D]}, contiguous). */
    static NDArray ropeBackward(NDArray dq, NDArray dk, NDArray dv, NDArray cos, NDArray sin) {
        if (NativeTrainKernels.serves(dq)) {
            return NativeTrainKernels.ropeBackward(dq, dk, dv, cos, sin);
        }
        return tensor(Kernels.runNoGrad("rope_backward", Kernels.ivalues(new NDArray[] {dq, dk, dv, cos, sin})),
                (PtNDManager) dq.getManager());
    }

    private static IValue[] tuple(IValue out) {
        try (out) {
            return out.toIValueTuple();
        }
    }

    private static NDArray tensor(IValue v, PtNDManager manager) {
        try (v) {
            return v.toTensor(manager);
        }
    }

    private static NDList list(IValue v, PtNDManager manager) {
        try (v) {
            return v.toNDList(manager);
        }
    }
}
