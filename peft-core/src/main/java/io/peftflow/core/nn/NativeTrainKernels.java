package io.peftflow.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.device.ConfiguredLibrary;

/**
 * The Llama training layer's fused elementwise kernels from the project's CUDA library
 * ({@code peft-core/src/main/cuda/train_kernels.cu}, {@code libpeftflow_train.so}): RMSNorm, SwiGLU and RoPE forward
 * and backward, each one kernel where TorchScript runs 3 to 6 over the same rows, the loss's cross-entropy with
 * its gradient on the fp16 logits, one kernel where TorchScript ran ~10 fp32 passes, a fused projection's LoRA pairs
 * stacked (one kernel for five) and a step's statistics (one kernel for 26 one-element ones). Why: the hand-written layer
 * backward made a training step on an H100 GPU-bound, and these elementwise passes are a large share of its GPU time
 * (docs/BENCHMARKS.md, issue 25). Used by {@link Kernels#llamaLayerTrain}, {@link Kernels#llamaLayerBackward} and
 * {@link Kernels#normLmHeadLossBackward} where the library is configured ({@value #PROPERTY} or {@value #ENVIRONMENT}:
 * its path) and the activations are fp16 on a GPU and at least {@link #MIN_ELEMENTS} values (any size in a captured
 * step); every other case runs them as TorchScript calls.
 */
public final class NativeTrainKernels {
    static final String PROPERTY = "peftflow.train.native";
    static final String ENVIRONMENT = "PEFTFLOW_TRAIN_NATIVE";

    /**
     * The activations' size (rows x hidden) below which a layer stays one TorchScript call. The segments cost the host
     * ~0.35 ms a layer (the CPU proxy: 7.2 -> 8.6 ms a batch-1 step of the 4-layer tiny model, docs/BENCHMARKS.md),
     * which a host-bound step pays in full — short sequences such as the transaction data's 16 x ~30 tokens, where a
     * TinyLlama-shape step was ~32 ms of host work — while the kernels save ~0.17 us of GPU time a row at hidden 2048
     * (H100: 70.4 -> 55.5 ms over 22 layers of 4,096 rows). At 2,048 rows of 2,048 the layer's GPU time (~1.5 ms)
     * passes its host time with the segments (~1.5 ms): an estimate from those measurements, not measured at the
     * boundary. A step captured into a CUDA graph ({@link CudaGraph#capturing}) costs the host nothing per call when
     * replayed, so it takes the kernels at any size.
     */
    static final long MIN_ELEMENTS = 2048L * 2048;

    /**
     * Logits in one chunk of the native loss ({@link Kernels#normLmHeadLossBackward}), fp16: 2^27 (256 MiB) holds a
     * whole 4,096-row batch at a 32,000 vocabulary, where 2^25 split it into four matmuls of 1,048 rows that cuBLAS ran
     * on 120 of an H100's 132 SMs (issue 25). {@value #LOSS_CHUNK_PROPERTY} sets it, within 2^20 to 2^30.
     */
    static final String LOSS_CHUNK_PROPERTY = "peftflow.train.lossChunkLogits";
    private static final long LOSS_CHUNK_LOGITS = Math.min(1L << 30, Math.max(1L << 20,
            Long.getLong(LOSS_CHUNK_PROPERTY, 1L << 27)));

    private static volatile boolean enabled = true;
    private static final ConfiguredLibrary LIBRARY = ConfiguredLibrary.load(PROPERTY, ENVIRONMENT);

    private NativeTrainKernels() {
    }

    /** The configured library's path, or null where none is. */
    public static String library() {
        return LIBRARY.path();
    }

    /** Turns the kernels off or on for this process (benchmarks and checks compare both paths in one run). */
    public static void enable(boolean on) {
        enabled = on;
    }

    /**
     * Whether a layer with activations like {@code h} runs through these kernels; a configured library that is missing
     * or does not load fails here, naming the file.
     */
    static boolean serves(NDArray h) {
        return LIBRARY.path() != null && enabled && h.getDevice().isGpu() && h.getDataType() == DataType.FLOAT16
                && (h.size() >= MIN_ELEMENTS || CudaGraph.capturing());
    }

    /**
     * Whether the step-level kernels ({@link #stepStats}) serve arrays like {@code onDevice}: the library is
     * configured and on, and the work is on a GPU (any size: they replace one-element kernels).
     */
    static boolean servesStep(NDArray onDevice) {
        return LIBRARY.path() != null && enabled && onDevice.getDevice().isGpu();
    }

    /** Rows of one chunk of the native loss for a vocabulary of {@code vocab} ({@link #LOSS_CHUNK_PROPERTY}). */
    static long lossChunkRows(long vocab) {
        return Math.max(16, LOSS_CHUNK_LOGITS / vocab);
    }

    /** {@code [weight * x / rms(x), 1 / rms(x)]} over the last axis: fp16 like {@code x}, and fp32 {@code [..., 1]}. */
    static NDList rmsNorm(NDArray x, NDArray weight, float eps) {
        long cols = x.getShape().tail();
        long rows = x.size() / cols;
        NDArray y = empty(x, x.getShape(), DataType.FLOAT16);
        NDArray r = empty(x, rowShape(x.getShape()), DataType.FLOAT32);
        check("RMSNorm", rmsNorm(handles(x, weight, y, r), rows, Math.toIntExact(cols), eps), y, r);
        return new NDList(y, r);
    }

    /**
     * {@code residual} plus the gradient of {@link #rmsNorm}'s output for {@code dy} with respect to {@code x}, shaped
     * like {@code x} ({@code dy} may be its rows flattened).
     */
    static NDArray rmsNormBackward(NDArray dy, NDArray x, NDArray weight, NDArray r, NDArray residual) {
        return rmsNormBackward(dy, null, x, weight, r, residual);
    }

    /**
     * {@link #rmsNormBackward} for the output gradient {@code dy} times {@code dyScale} (a 0-d fp32 array read on the
     * device, taken in fp32 before any rounding; null: 1), without a residual where {@code residual} is null.
     */
    static NDArray rmsNormBackward(NDArray dy, NDArray dyScale, NDArray x, NDArray weight, NDArray r,
                                   NDArray residual) {
        long cols = x.getShape().tail();
        NDArray dx = empty(x, x.getShape(), DataType.FLOAT16);
        check("RMSNorm backward", rmsNormBackward(handles(dy, x, weight, r, residual, dx, dyScale),
                x.size() / cols, Math.toIntExact(cols)), dx);
        return dx;
    }

    /** {@code silu(gate) * up} for {@code gateUp = [..., gate | up]}. */
    static NDArray swiglu(NDArray gateUp) {
        Shape shape = gateUp.getShape();
        long inter = shape.tail() / 2;
        NDArray s = empty(gateUp, shape.slice(0, shape.dimension() - 1).add(inter), DataType.FLOAT16);
        check("SwiGLU", swiglu(handles(gateUp, s), gateUp.size() / (2 * inter), Math.toIntExact(inter)), s);
        return s;
    }

    /** The gradient {@code [..., dgate | dup]} of {@link #swiglu} for {@code ds} (rows of {@code inter} values). */
    static NDArray swigluBackward(NDArray ds, NDArray gateUp) {
        long inter = gateUp.getShape().tail() / 2;
        NDArray dgu = empty(gateUp, gateUp.getShape(), DataType.FLOAT16);
        check("SwiGLU backward", swigluBackward(handles(ds, gateUp, dgu), gateUp.size() / (2 * inter),
                Math.toIntExact(inter)), dgu);
        return dgu;
    }

    /**
     * The cross-entropy of each row of the fp16 {@code logits [rows, vocab]} against {@code target[offset + row]}
     * (-100: not counted), fp32 {@code [rows]} (0 where not counted); the logits are overwritten by the loss's gradient
     * with respect to them times {@code scale} ((softmax - one-hot) * scale, 0 where not counted), in fp16.
     */
    static NDArray crossEntropyGrad(NDArray logits, NDArray target, long offset, float scale) {
        Shape s = logits.getShape();
        NDArray loss = empty(logits, new Shape(s.get(0)), DataType.FLOAT32);
        check("cross-entropy", crossEntropyGrad(handles(logits, target, loss), s.get(0), Math.toIntExact(s.get(1)),
                offset, scale), loss);
        return loss;
    }

    /**
     * The LoRA pairs of Linears whose outputs form one fused projection, as kernels.py's {@code _stack_lora} lays them
     * out: {@code [A stacked [R, width], B's block-diagonal [N, R]]} for each target's fp16 {@code a[i] [r_i, width]}
     * and scaled {@code b[i] [outs[i], r_i]} (both null for a target without a pair, whose rows of the block-diagonal
     * are zeros); null where no target has a pair.
     */
    static NDList stackLora(NDArray[] a, NDArray[] b, long[] outs, long width) {
        int[] ranks = new int[a.length];
        NDArray[] tensors = new NDArray[2 * a.length + 2];
        NDArray like = null;
        int total = 0;
        long rows = 0;
        for (int i = 0; i < a.length; i++) {
            ranks[i] = a[i] == null ? 0 : Math.toIntExact(a[i].getShape().get(0));
            tensors[2 * i] = a[i];
            tensors[2 * i + 1] = b[i];
            like = like == null ? a[i] : like;
            total += ranks[i];
            rows += outs[i];
        }
        if (like == null) {
            return null;
        }
        NDArray stacked = empty(like, new Shape(total, width), DataType.FLOAT16);
        NDArray diagonal = empty(like, new Shape(rows, total), DataType.FLOAT16);
        tensors[2 * a.length] = stacked;
        tensors[2 * a.length + 1] = diagonal;
        check("LoRA stack", stackLora(handles(tensors), ranks, outs, Math.toIntExact(width)), stacked, diagonal);
        return new NDList(stacked, diagonal);
    }

    /**
     * kernels.py's {@code step_stats} from the gradients' norms (fp32 {@code [n]}) and the summed loss (fp32, 0-d):
     * {@code [[summed loss, gradient norm times unscale], the gradients' divisor, found_inf]}, fp32, in
     * {@code scope}.
     */
    static NDList stepStats(NDArray norms, NDArray lossSum, NDArray unscale, double maxNorm, NDManager scope) {
        NDArray stats = empty(norms, new Shape(2), DataType.FLOAT32);
        NDArray gradScale = empty(norms, new Shape(), DataType.FLOAT32);
        NDArray foundInf = empty(norms, new Shape(), DataType.FLOAT32);
        NDList out = new NDList(stats, gradScale, foundInf);
        out.attach(scope);
        check("step statistics", stepStats(handles(norms, lossSum, unscale, stats, gradScale, foundInf),
                Math.toIntExact(norms.size()), (float) maxNorm), stats, gradScale, foundInf);
        return out;
    }

    /** An uninitialised array on {@code like}'s device, in its manager (each kernel writes every element). */
    private static NDArray empty(NDArray like, Shape shape, DataType dtype) {
        return JniUtils.createEmptyNdArray((PtNDManager) like.getManager(), shape, dtype, like.getDevice(),
                SparseFormat.DENSE);
    }

    /**
     * RoPE on the q and k heads of the fused projection {@code qkv} {@code [B, T, (H + 2 KV) D]}: {@code [qk, v]},
     * {@code [B, T, H + KV, D]} rotated and {@code [B, T, KV, D]} copied, for {@code qHeads} query heads and the
     * {@code [B|1, 1, T, D]} tables ({@code sin} with its first half negated).
     */
    static NDList ropeSplit(NDArray qkv, NDArray cos, NDArray sin, long qHeads) {
        Shape s = qkv.getShape();
        long d = cos.getShape().tail();
        long kvHeads = (s.tail() / d - qHeads) / 2;
        NDArray qk = empty(qkv, new Shape(s.get(0), s.get(1), qHeads + kvHeads, d), DataType.FLOAT16);
        NDArray v = empty(qkv, new Shape(s.get(0), s.get(1), kvHeads, d), DataType.FLOAT16);
        check("RoPE", ropeSplit(handles(qkv, cos, sin, qk, v), s.get(0) * s.get(1), Math.toIntExact(s.get(1)),
                cosBatch(cos), Math.toIntExact(qHeads), Math.toIntExact(kvHeads), Math.toIntExact(d)), qk, v);
        return new NDList(qk, v);
    }

    /**
     * The gradient {@code [B, T, (H + 2 KV) D]} of {@link #ropeSplit}'s projection from those of its q and k heads (after
     * RoPE, {@code [B, T, H, D]} and {@code [B, T, KV, D]}) and v heads.
     */
    static NDArray ropeBackward(NDArray dq, NDArray dk, NDArray dv, NDArray cos, NDArray sin) {
        Shape q = dq.getShape();
        long kvHeads = dk.getShape().get(2);
        long d = q.get(3);
        NDArray dqkv = empty(dq, new Shape(q.get(0), q.get(1), (q.get(2) + 2 * kvHeads) * d), DataType.FLOAT16);
        check("RoPE backward", ropeBackward(handles(dq, dk, dv, cos, sin, dqkv), q.get(0) * q.get(1),
                Math.toIntExact(q.get(1)), cosBatch(cos), Math.toIntExact(q.get(2)), Math.toIntExact(kvHeads),
                Math.toIntExact(d)), dqkv);
        return dqkv;
    }

    /** The elements between two batch rows of a {@code [B|1, 1, T, D]} table: 0 where one row serves the batch. */
    private static long cosBatch(NDArray cos) {
        Shape c = cos.getShape();
        return c.get(0) == 1 ? 0 : c.size() / c.get(0);
    }

    private static Shape rowShape(Shape x) {
        return x.slice(0, x.dimension() - 1).add(1);
    }

    private static long[] handles(NDArray... arrays) {
        long[] out = new long[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            out[i] = arrays[i] == null ? 0 : ((PtNDArray) arrays[i]).getHandle();
        }
        return out;
    }

    private static void check(String kernel, String error, NDArray... outputs) {
        if (error != null) {
            for (NDArray o : outputs) {
                o.close();
            }
            throw new PeftCoreException("native " + kernel + " (" + LIBRARY.path() + ") failed: " + error);
        }
    }

    private static native String rmsNorm(long[] tensors, long rows, int cols, float eps);

    private static native String rmsNormBackward(long[] tensors, long rows, int cols);

    private static native String swiglu(long[] tensors, long rows, int inter);

    private static native String swigluBackward(long[] tensors, long rows, int inter);

    private static native String ropeSplit(long[] tensors, long rows, int t, long cosBatch, int qHeads, int kvHeads,
                                           int d);

    private static native String ropeBackward(long[] tensors, long rows, int t, long cosBatch, int qHeads, int kvHeads,
                                              int d);

    private static native String crossEntropyGrad(long[] tensors, long rows, int vocab, long offset, float scale);

    private static native String stackLora(long[] tensors, int[] ranks, long[] outs, int width);

    private static native String stepStats(long[] tensors, int n, float maxNorm);
}
