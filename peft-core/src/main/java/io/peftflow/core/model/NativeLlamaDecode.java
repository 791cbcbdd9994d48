package io.peftflow.core.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.device.ConfiguredLibrary;
import io.peftflow.core.nn.LowRank;
import java.util.List;

/**
 * A Llama decode step (one new token per row over a KV cache) through the project's native CUDA engine
 * ({@code peft-core/src/main/cuda/llama_decode.cu}): every layer replayed as one CUDA graph instead of ~1,000
 * TorchScript ops issued from the host, reading DJL's own tensors (weights, the cache's buffers, LoRA pairs) in place.
 * Why: a decode step of a 1B model on a GPU is ~1 ms of kernels behind ~10 ms of host issue, and neither DJL nor
 * TorchScript captures CUDA graphs. Used only where the library is configured ({@value #PROPERTY} or
 * {@value #ENVIRONMENT}: the path of {@code libpeftflow_decode.so}) and the step fits it (fp16 on a GPU, no sliding
 * window, LoRA ranks up to {@value #MAX_RANK}, up to {@value #MAX_BATCH} rows); everything else runs the TorchScript
 * stack as before.
 */
public final class NativeLlamaDecode implements AutoCloseable {
    static final String PROPERTY = "peftflow.decode.native";
    static final String ENVIRONMENT = "PEFTFLOW_DECODE_NATIVE";
    static final int MAX_BATCH = 256;
    static final int MAX_RANK = 64;
    private static final int TARGETS = 7;
    /** The engine's refusal of an input layout it does not read (a strided view): the step runs another way. */
    private static final String LAYOUT = "layout: ";

    private static volatile boolean enabled = true;
    private static final ConfiguredLibrary LIBRARY = ConfiguredLibrary.load(PROPERTY, ENVIRONMENT);

    private final int layers;
    private final long hidden;
    private long engine;

    private NativeLlamaDecode(ModelConfig c, int device) {
        this.layers = c.numLayers();
        this.hidden = c.hiddenSize();
        this.engine = create(device, c.numLayers(), c.hiddenSize(), c.numHeads(), c.numKvHeads(), c.headDim(),
                c.intermediateSize(), (float) c.normEps(), MAX_BATCH, MAX_RANK);
        if (engine == 0) {
            throw new PeftCoreException("the native decode engine " + LIBRARY.path() + " failed to start: " + lastError());
        }
    }

    /** The configured library's path, or null where none is. */
    public static String library() {
        return LIBRARY.path();
    }

    /** Turns the engine off or on for this process (benchmarks and checks compare both paths in one run). */
    public static void enable(boolean on) {
        enabled = on;
    }

    /**
     * An engine for {@code c} when the library is configured and the model is one it serves, else null; a configured
     * library that is missing or does not load fails here, naming the file.
     */
    static NativeLlamaDecode forModel(ModelConfig c, Device device, DataType dtype) {
        if (LIBRARY.path() == null || !device.isGpu() || dtype != DataType.FLOAT16 || !"silu".equals(c.hiddenAct())
                || (c.headDim() != 64 && c.headDim() != 128)) {
            return null;
        }
        return new NativeLlamaDecode(c, device.getDeviceId());
    }

    /**
     * Whether {@link #step} serves this pass: on, one new token per row, no sliding-window mask, at most
     * {@link #MAX_BATCH} rows, and every update none or a LoRA pair of rank {@link #MAX_RANK} or less, all shared
     * ({@code [r, in]}) or all per row ({@code [B, in, r]}).
     */
    boolean serves(NDArray h, LayerInput in, List<LowRank> updates) {
        Shape s = h.getShape();
        if (!enabled || s.get(1) != 1 || s.get(0) > MAX_BATCH || in.slidingMask() != null
                || h.getDataType() != DataType.FLOAT16) {
            return false;
        }
        int dims = -1;
        for (LowRank u : updates) {
            if (u.a() == null) {
                continue;
            }
            Shape a = u.a().getShape();
            if (rank(a) > MAX_RANK || (dims != -1 && dims != a.dimension())) {
                return false;
            }
            dims = a.dimension();
        }
        return true;
    }

    /**
     * Every layer for one new token per row: {@code h} {@code [B, 1, hidden]}, the cache's buffers {@code kv}
     * ({@code [B, KV, capacity, D]} per layer, this token's keys and values written at column {@code past}), the
     * token's RoPE rows and additive mask (or null) as {@link LayerInput} holds them, the layers' weights (6 each, as
     * {@link LlamaForCausalLM.Layer#addStackInputs} lists them) and updates (7 each). The output is in {@code h}'s
     * manager; null, with nothing run, where an input is not contiguous (the engine reads dense tensors only).
     */
    synchronized NDArray step(NDArray h, NDArray[][] kv, int past, LayerInput in, List<NDArray> weights,
                              List<LowRank> updates) {
        int batch = Math.toIntExact(h.getShape().get(0));
        NDArray out = h.getManager().create(new Shape(batch, 1, hidden), DataType.FLOAT16);
        NDArray mask = in.fullMask();
        long[] tensors = new long[5 + 8 * layers + 2 * TARGETS * layers];
        tensors[0] = handle(h);
        tensors[1] = handle(out);
        tensors[2] = handle(in.cos());
        tensors[3] = handle(in.sin());
        tensors[4] = mask == null ? 0 : handle(mask);
        int at = 5;
        for (NDArray w : weights) {
            tensors[at++] = handle(w);
        }
        for (int side = 0; side < 2; side++) {
            for (NDArray buffer : kv[side]) {
                tensors[at++] = handle(buffer);
            }
        }
        int[] ranks = new int[TARGETS * layers];
        boolean perRow = false;
        for (int i = 0; i < updates.size(); i++) {
            LowRank u = updates.get(i);
            if (u.a() != null) {
                Shape a = u.a().getShape();
                perRow = a.dimension() == 3;
                ranks[i] = Math.toIntExact(rank(a));
                tensors[at + i] = handle(u.a());
                tensors[at + TARGETS * layers + i] = handle(u.scaledB());
            }
        }
        int capacity = Math.toIntExact(kv[0][0].getShape().get(2));
        int cosStride = in.cos().getShape().get(0) == 1 ? 0 : Math.toIntExact(in.cos().getShape().get(3));
        int maskStride = mask == null || mask.getShape().get(0) == 1 ? 0 : past + 1;
        String error = launch(engine, batch, past, capacity, cosStride, maskStride, tensors, ranks, perRow);
        if (error != null) {
            out.close();
            if (error.startsWith(LAYOUT)) {
                return null;
            }
            throw new PeftCoreException("native decode step of " + batch + " rows failed: " + error);
        }
        return out;
    }

    /** A pair's rank from its A: {@code [r, in]}, or {@code [B, in, r]} per row. */
    private static long rank(Shape a) {
        return a.dimension() == 2 ? a.get(0) : a.get(2);
    }

    private static long handle(NDArray x) {
        return ((PtNDArray) x).getHandle();
    }

    @Override
    public synchronized void close() {
        if (engine != 0) {
            destroy(engine);
            engine = 0;
        }
    }

    private static native long create(int device, int layers, int hidden, int heads, int kvHeads, int headDim,
                                      int inter, float eps, int maxBatch, int maxRank);

    private static native String lastError();

    private static native void destroy(long engine);

    private static native String launch(long engine, int batch, int past, int capacity, int cosStride, int maskStride,
                                        long[] tensors, int[] ranks, boolean perRow);
}
