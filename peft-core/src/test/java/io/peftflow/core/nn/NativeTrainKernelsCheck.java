package io.peftflow.core.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The GPU check of {@link NativeTrainKernels} (the Java tests cannot reach CUDA): each kernel against the TorchScript
 * ops it replaces (the cross-entropy and the final norm through {@link Kernels#normLmHeadLossBackward}, which uses
 * them; the step statistics through {@link Kernels#stepStats}), on random fp16 inputs of the TinyLlama-1.1B and
 * Llama-2-7B training shapes (8 x 512 and 4 x 1024
 * rows; 32 query heads, 4 and 32 key/value heads of 64 and 128), the largest difference against the largest reference
 * value (bound 1e-2: both sides round to fp16, at different points), and each side's time per call (median of 7
 * synchronised batches of 20).
 * Usage: {@code -Dpeftflow.train.native=libpeftflow_train.so NativeTrainKernelsCheck}; prints CHECK and TIME lines and
 * exits 1 on a failed check.
 */
public final class NativeTrainKernelsCheck {
    private static final double BOUND = 1e-2;

    private NativeTrainKernelsCheck() {
    }

    public static void main(String[] args) {
        if (NativeTrainKernels.library() == null) {
            throw new IllegalStateException("no native training library configured (-Dpeftflow.train.native)");
        }
        boolean ok = true;
        try (NDManager m = NDManager.newBaseManager(Device.gpu())) {
            for (long[] shape : new long[][] {{8, 512, 2048, 5632, 32, 4, 64}, {4, 1024, 4096, 11008, 32, 32, 128}}) {
                ok &= check(m, shape);
            }
        }
        System.out.println(ok ? "ALL CHECKS PASS" : "A CHECK FAILED");
        System.exit(ok ? 0 : 1);
    }

    private static boolean check(NDManager m, long[] shape) {
        long batch = shape[0];
        long t = shape[1];
        long rows = batch * t;
        long hidden = shape[2];
        long inter = shape[3];
        String at = rows + " x " + hidden + " (inter " + inter + ")";
        NDArray x = half(m, new Shape(batch, t, hidden), 1);
        NDArray w = half(m, new Shape(hidden), 0.1).add(1);
        NDArray dy = half(m, new Shape(rows, hidden), 0.01);
        NDArray residual = half(m, new Shape(batch, t, hidden), 0.01);
        NDArray gu = half(m, new Shape(batch, t, 2 * inter), 2);
        NDArray ds = half(m, new Shape(rows, inter), 0.01);
        NDList yr = both(() -> SegmentedLlamaLayer.rmsNorm(x, w, 1e-5f), "RMSNorm " + at);
        boolean ok = compare("RMSNorm y " + at, yr.get(0), yr.get(2));
        ok &= compare("RMSNorm 1/rms " + at, yr.get(1), yr.get(3));
        NDArray r = yr.get(1);
        NDList dx = both(() -> new NDList(SegmentedLlamaLayer.rmsNormBackward(dy, x, w, r, residual)),
                "RMSNorm backward " + at);
        ok &= compare("RMSNorm backward " + at, dx.get(0), dx.get(1));
        NDList s = both(() -> new NDList(SegmentedLlamaLayer.swiglu(gu)), "SwiGLU " + at);
        ok &= compare("SwiGLU " + at, s.get(0), s.get(1));
        NDList dgu = both(() -> new NDList(SegmentedLlamaLayer.swigluBackward(ds, gu)), "SwiGLU backward " + at);
        ok &= compare("SwiGLU backward " + at, dgu.get(0), dgu.get(1));
        long heads = shape[4];
        long kvHeads = shape[5];
        long d = shape[6];
        String ropeAt = batch + " x " + t + ", " + heads + "/" + kvHeads + " heads of " + d;
        NDArray qkv = half(m, new Shape(batch, t, (heads + 2 * kvHeads) * d), 1);
        NDArray cos = half(m, new Shape(1, 1, t, d), 0.5);
        NDArray sin = half(m, new Shape(1, 1, t, d), 0.5);
        NDArray o = m.zeros(new Shape(hidden, heads * d), DataType.FLOAT16);
        NDList rope = both(() -> SegmentedLlamaLayer.ropeSplit(qkv, cos, sin, o), "RoPE " + ropeAt);
        ok &= compare("RoPE q|k " + ropeAt, rope.get(0), rope.get(2));
        ok &= compare("RoPE v " + ropeAt, rope.get(1), rope.get(3));
        NDArray dq = half(m, new Shape(batch, t, heads, d), 0.01);
        NDArray dk = half(m, new Shape(batch, t, kvHeads, d), 0.01);
        NDArray dv = half(m, new Shape(batch, t, kvHeads, d), 0.01);
        NDList dqkv = both(() -> new NDList(SegmentedLlamaLayer.ropeBackward(dq, dk, dv, cos, sin)),
                "RoPE backward " + ropeAt);
        ok &= compare("RoPE backward " + ropeAt, dqkv.get(0), dqkv.get(1));
        // a layer's q/k/v LoRA pairs (r 16) stacked for the fused projection, with all three and with k left out
        long qd = heads * d;
        long kvd = kvHeads * d;
        NDArray wqkv = m.zeros(new Shape(qd + 2 * kvd, hidden), DataType.FLOAT16);
        LowRank[] pairs = {new LowRank(half(m, new Shape(16, hidden), 0.1), half(m, new Shape(qd, 16), 0.1)),
            new LowRank(half(m, new Shape(16, hidden), 0.1), half(m, new Shape(kvd, 16), 0.1)),
            new LowRank(half(m, new Shape(16, hidden), 0.1), half(m, new Shape(kvd, 16), 0.1))};
        for (LowRank[] targets : new LowRank[][] {pairs, {pairs[0], LowRank.NONE, pairs[2]}}) {
            String stackAt = (targets[1] == LowRank.NONE ? "q, v of " : "q, k, v of ") + ropeAt;
            NDList stacked = both(() -> stackLora(wqkv, qd, targets, m), "LoRA stack " + stackAt);
            ok &= compare("LoRA stack A " + stackAt, stacked.get(0), stacked.get(2));
            ok &= compare("LoRA stack B " + stackAt, stacked.get(1), stacked.get(3));
        }
        // a step's statistics from 154 gradients (TinyLlama's q, k, v, o pairs), clipped to norm 1
        List<NDArray> grads = new ArrayList<>();
        for (int i = 0; i < 154; i++) {
            grads.add(half(m, new Shape(i % 2 == 0 ? 16 : hidden, i % 2 == 0 ? hidden : 16), 0.01));
        }
        NDArray lossSum = m.create(1234.5f);
        NDArray unscale = m.create(1f / 1024);
        NDList stats = both(() -> Kernels.stepStats(grads, lossSum, unscale, 1.0, m), "step statistics");
        ok &= compare("step loss and norm", stats.get(0), stats.get(3));
        ok &= compare("step gradient divisor", stats.get(1), stats.get(4));
        ok &= compare("step found_inf", stats.get(2), stats.get(5));
        // the final norm, lm_head and cross-entropy with its gradient (Llama's vocabulary of 32,000; every 7th label
        // not counted)
        long vocab = 32000;
        NDArray head = half(m, new Shape(vocab, hidden), 0.02);
        NDArray labels = m.randomInteger(0, vocab, new Shape(batch, t), DataType.INT64);
        labels = labels.mul(m.arange(0, rows, 1, DataType.INT64).reshape(batch, t).mod(7).neq(0))
                .add(m.arange(0, rows, 1, DataType.INT64).reshape(batch, t).mod(7).eq(0).toType(DataType.INT64, false)
                        .mul(-100));
        NDArray factor = m.create(1f / rows);
        NDArray lmLabels = labels;
        NDList loss = both(() -> Kernels.normLmHeadLossBackward(x, w, 1e-5f, head, lmLabels,
                Kernels.lmHeadChunkRows(vocab), factor), "lm_head cross-entropy " + at);
        ok &= compare("lm_head loss " + at, loss.get(0), loss.get(3));
        ok &= compare("lm_head labelled count " + at, loss.get(1), loss.get(4));
        ok &= compare("lm_head input gradient " + at, loss.get(2), loss.get(5));
        return ok;
    }

    /** The pairs stacked natively where the kernels are on, else by kernels.py's {@code _stack_lora}. */
    private static NDList stackLora(NDArray wqkv, long qd, LowRank[] targets, NDManager m) {
        if (NativeTrainKernels.servesStep(wqkv)) {
            NDArray[] a = new NDArray[3];
            NDArray[] b = new NDArray[3];
            for (int i = 0; i < 3; i++) {
                a[i] = targets[i].a();
                b[i] = targets[i].scaledB();
            }
            long kvd = (wqkv.getShape().get(0) - qd) / 2;
            return NativeTrainKernels.stackLora(a, b, new long[] {qd, kvd, kvd}, wqkv.getShape().get(1));
        }
        LowRank s = Kernels.stackQkvLora(wqkv, qd, targets[0], targets[1], targets[2], m);
        return new NDList(s.a(), s.scaledB());
    }

    private static NDArray half(NDManager m, Shape shape, double scale) {
        return m.randomNormal(0, (float) scale, shape, DataType.FLOAT32).toType(DataType.FLOAT16, false);
    }

    /** The TorchScript result, then the native one (each list's arrays in order), with each side's time. */
    private static NDList both(Supplier<NDList> op, String what) {
        NativeTrainKernels.enable(false);
        NDList reference = op.get();
        double referenceMs = time(op);
        NativeTrainKernels.enable(true);
        NDList nativeOut = op.get();
        double nativeMs = time(op);
        System.out.printf(Locale.ROOT, "TIME %s: TorchScript %.3f ms, native %.3f ms (%.2fx)%n", what, referenceMs,
                nativeMs, referenceMs / nativeMs);
        NDList out = new NDList();
        out.addAll(reference);
        out.addAll(nativeOut);
        return out;
    }

    private static double time(Supplier<NDList> op) {
        double[] ms = new double[7];
        for (int b = 0; b < ms.length; b++) {
            sync(op.get());
            long t0 = System.nanoTime();
            NDList last = null;
            for (int i = 0; i < 20; i++) {
                if (last != null) {
                    last.close();
                }
                last = op.get();
            }
            sync(last);
            ms[b] = (System.nanoTime() - t0) / 1e6 / 20;
        }
        Arrays.sort(ms);
        return ms[ms.length / 2];
    }

    private static void sync(NDList out) {
        out.get(0).sum().getFloat();
        out.close();
    }

    private static boolean compare(String what, NDArray reference, NDArray candidate) {
        NDArray ref = reference.toType(DataType.FLOAT32, false);
        float scale = ref.abs().max().getFloat();
        float diff = ref.sub(candidate.toType(DataType.FLOAT32, false).reshape(ref.getShape())).abs().max()
                .getFloat();
        boolean ok = diff <= BOUND * scale && Float.isFinite(diff);
        System.out.printf(Locale.ROOT, "CHECK %s: max |diff| %.3g of max |reference| %.3g (%s)%n", what, diff, scale,
                ok ? "PASS" : "FAIL");
        return ok;
    }
}
