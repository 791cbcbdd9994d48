package io.peftflow.core.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import io.peftflow.core.PeftCoreException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Fused operations run as TorchScript inside libtorch. Why: DJL 0.33 exposes no fused attention, cross-entropy or
 * multi-tensor optimizer kernels, and a training step on a GPU is bound by the host's cost per operation and per
 * launched kernel (docs/BENCHMARKS.md). Each method here is one call that runs several aten operations (and
 * {@code scaled_dot_product_attention}, i.e. flash or memory-efficient attention on CUDA), differentiable under a
 * {@code GradientCollector} like any DJL operation; results attach to the first input's manager.
 *
 * <p>The module is compiled once per JVM from {@code kernels.py} (TorchScript source beside this class), packed
 * here into the archive layout {@code torch.jit.load} reads, so no Python or pre-built model file is involved. It
 * holds no tensors and serves every device. Graph optimisation is off: the profiling executor re-specialises for
 * every new batch shape, and with its fuser on the H200 step measured slower, not faster.
 */
public final class Kernels {
    private static final String SOURCE = "kernels.py";
    private static final String CLASS_NAME = "Kernels";

    private static volatile PtSymbolBlock module;
    private static volatile boolean segmentLayers;
    private static final Map<String, NDArray> SELECTORS = new ConcurrentHashMap<>();
    private static final Map<String, NDArray> EMPTY = new ConcurrentHashMap<>();
    private static final Map<Long, NDArray> CHUNK_ROWS = new ConcurrentHashMap<>();
    /** The executor setting is per thread in libtorch. */
    private static final ThreadLocal<Boolean> PLAIN_EXECUTOR = ThreadLocal.withInitial(() -> {
        JniUtils.setGraphExecutorOptimize(false);
        return Boolean.TRUE;
    });

    /**
     * Whether {@link #llamaDecodeStack} runs under TorchScript's optimizing (profiling) executor,
     * {@code -Dpeftflow.decode.graphOptimizer=true}: its calls inlined and, on CUDA, elementwise chains (RMSNorm, RoPE,
     * SwiGLU, residual adds) fused after a profiling run per new shape (the decode step's are constant but for the
     * batch size). Off by default, as for every other method here; an A/B switch until a GPU run decides (see
     * docs/BENCHMARKS.md, the decode section).
     */
    private static final boolean DECODE_GRAPH_OPTIMIZER = Boolean.getBoolean("peftflow.decode.graphOptimizer");

    private Kernels() {
    }

    /** Llama's RMSNorm: {@code weight * (x / rms(x))} normalised in fp32, cast back before the weight. */
    public static NDArray rmsNorm(NDArray x, NDArray weight, NDArray eps) {
        return run("rms_norm", x, weight, eps).singletonOrThrow();
    }

    /**
     * Rotary embedding (rotate-half layout) of {@code [B, T, n*D]} projections; returns {@code [B, n, T, D]}.
     * {@code signedSin} is sin with its first half negated (the sign rotate_half puts on the second half of x).
     */
    public static NDArray rope(NDArray x, NDArray cos, NDArray signedSin) {
        return run("rope", x, cos, signedSin).singletonOrThrow();
    }

    /**
     * Causal attention of {@code [B, H, T, D]} queries to {@code [B, KV, T, D]} keys and values (H a multiple of KV,
     * query head h reading kv head h / (H / KV)), scale 1/sqrt(D); returns {@code [B, T, H*D]}. A single query
     * ({@code T = 1}, a decode step) may attend to any number of keys: it sees them all.
     */
    public static NDArray causalAttention(NDArray q, NDArray k, NDArray v) {
        return run("causal_attention", q, k, v).singletonOrThrow();
    }

    /** Like {@link #causalAttention} over {@code S} keys with an additive mask broadcastable to [B, H, T, S]. */
    public static NDArray maskedAttention(NDArray q, NDArray k, NDArray v, NDArray mask) {
        return run("masked_attention", q, k, v, mask).singletonOrThrow();
    }

    /**
     * {@code out + x A^T (scaling B)^T}: the LoRA matmuls run in the activations' dtype (fp16 on CUDA, as PEFT under
     * autocast) through casts of the fp32 weights that gradients pass; {@code out} and {@code x} share a dtype.
     */
    public static NDArray lora(NDArray out, NDArray x, NDArray a, NDArray b, NDArray scaling) {
        return run("lora", out, x, a, b, scaling).singletonOrThrow();
    }

    /**
     * {@link #lora} with {@code a} and {@code scaling * b} already in x's dtype (from {@link #packRows}), or per row
     * ({@link LowRank}'s shapes).
     */
    public static NDArray loraPacked(NDArray out, NDArray x, NDArray a, NDArray scaledB) {
        return run("lora_packed", out, x, a, scaledB).singletonOrThrow();
    }

    /**
     * {@code rows} (same trailing shape) times {@code scale} (0-d), cast to {@code dtype} with one concatenation,
     * one multiply and one cast, differentiable; returns one view per input, in order, attached to {@code scope}.
     */
    public static NDList packRows(List<NDArray> rows, NDArray scale, DataType dtype, NDManager scope) {
        NDArray[] in = new NDArray[rows.size() + 2];
        for (int i = 0; i < rows.size(); i++) {
            in[i] = rows.get(i);
            in[i].setName("rows[]");
        }
        in[rows.size()] = scale;
        in[rows.size() + 1] = Casts.token(scale.getDevice(), dtype);
        try {
            NDList out = run("pack_rows", in);
            out.attach(scope);
            return out;
        } finally {
            // DJL groups inputs into lists by name; the rows are long-lived arrays, so the name must not stay.
            rows.forEach(r -> r.setName(null));
        }
    }

    /**
     * A whole Llama decoder layer for causal attention without a cache, in one call: {@code h + attn(norm1(h))}, then
     * {@code + mlp(norm2(.))}, with q/k/v and gate/up each one matmul over their concatenated weights
     * ({@link FusedLinears}) and each target's low-rank update (q, k, v, o, gate, up, down; {@link LowRank#NONE} for
     * none) added to its own slice. Same results as the per-module forward; a fraction of its host calls.
     */
    public static NDArray llamaLayer(NDArray h, NDArray inputNorm, NDArray qkv, NDArray o, NDArray postNorm,
                                     NDArray gateUp, NDArray down, NDArray eps, NDArray cos, NDArray sin,
                                     LowRank... updates) {
        return run("llama_layer", layerInputs(new NDArray[] {h, inputNorm, qkv, o, postNorm, gateUp, down, eps, cos,
                sin}, updates)).singletonOrThrow();
    }

    /**
     * Every layer of a Llama model in one call over a preallocated KV cache, without autograd (inference mode), for
     * generation: layer i reads {@code weights[6i .. 6i+5]} (input norm, fused q/k/v, o, post-attention norm, fused
     * gate/up, down) and {@code updates[7i .. 7i+6]} (q, k, v, o, gate, up, down, as {@link #llamaLayer}'s), and its
     * cache {@code keys[i]}/{@code values[i]} ({@code [B, KV, capacity, D]}): this pass's {@code T} keys and values are
     * written in place at columns {@code past .. past+T}, and attention reads columns {@code 0 .. past+T}. Without a
     * mask (null) attention is causal, which is right only for a whole sequence with nothing cached or one new token;
     * else {@code mask} is additive, broadcastable to {@code [B, H, T, past+T]}, and layer i reads {@code slidingMask}
     * instead where {@code sliding[i]} and that is not null (a sliding window). Returns the last layer's output,
     * attached to {@code h}'s manager: {@code [B, 1, hidden]} of the last position alone with {@code lastOnly} (whose
     * last layer then runs attention, o and the MLP for that position only; every position is still cached). Why one
     * call: a decode step on a GPU is bound by the host, and a call per layer paid the call's fixed cost and the
     * marshalling of its inputs once per layer.
     */
    public static NDArray llamaDecodeStack(NDArray h, List<NDArray> weights, List<LowRank> updates, NDArray eps,
                                           NDArray cos, NDArray sin, List<NDArray> keys, List<NDArray> values,
                                           int past, NDArray mask, NDArray slidingMask, boolean[] sliding,
                                           boolean lastOnly) {
        NDArray none = empty(h.getDevice(), h.getDataType());
        List<NDArray> pairs = Arrays.asList(layerInputs(new NDArray[0], packedQkv(weights, updates), h));
        PLAIN_EXECUTOR.get();
        if (DECODE_GRAPH_OPTIMIZER) {
            JniUtils.setGraphExecutorOptimize(true);
        }
        try (IValue out = runNoGrad("llama_decode_stack", IValue.from((PtNDArray) h), IValue.listFrom(pt(weights)),
                IValue.listFrom(pt(pairs)), IValue.from((PtNDArray) eps), IValue.from((PtNDArray) cos),
                IValue.from((PtNDArray) sin), IValue.listFrom(pt(keys)), IValue.listFrom(pt(values)),
                IValue.from((long) past), IValue.from((PtNDArray) (mask == null ? none : mask)),
                IValue.from((PtNDArray) (slidingMask == null ? none : slidingMask)), IValue.listFrom(sliding),
                IValue.from(lastOnly))) {
            return out.toTensor((PtNDManager) h.getManager());
        } finally {
            if (DECODE_GRAPH_OPTIMIZER) {
                JniUtils.setGraphExecutorOptimize(false);
            }
        }
    }

    /**
     * {@code updates} (7 a layer, as {@link #llamaDecodeStack} reads them) with each layer's q, k and v pairs as the
     * one pair their {@link LowRank.Packing} keeps for them (in q's place, k and v none) where they have one: the
     * kernel then skips stacking them on every layer and step.
     */
    private static LowRank[] packedQkv(List<NDArray> weights, List<LowRank> updates) {
        LowRank[] out = updates.toArray(new LowRank[0]);
        for (int layer = 0; 7 * layer < out.length; layer++) {
            int u = 7 * layer;
            LowRank.Packing packing = out[u].packing() != null ? out[u].packing()
                    : out[u + 1].packing() != null ? out[u + 1].packing() : out[u + 2].packing();
            LowRank pair = packing == null ? null : packing.qkv(weights.get(6 * layer + 1),
                    weights.get(6 * layer + 2).getShape().get(1), out[u], out[u + 1], out[u + 2]);
            if (pair != null) {
                out[u] = pair;
                out[u + 1] = LowRank.NONE;
                out[u + 2] = LowRank.NONE;
            }
        }
        return out;
    }

    /**
     * A layer's q/k/v updates ({@code [r, in]} pairs or none) stacked as the kernels stack them for the fused q|k|v
     * matmul ({@code wqkv}, queries {@code qd} wide): A's rows stacked, the B's block-diagonal, in inference mode,
     * attached to {@code scope}.
     */
    static LowRank stackQkvLora(NDArray wqkv, long qd, LowRank q, LowRank k, LowRank v, NDManager scope) {
        NDArray[] pairs = layerInputs(new NDArray[0], new LowRank[] {q, k, v}, wqkv);
        IValue[] args = new IValue[2 + pairs.length];
        args[0] = IValue.from((PtNDArray) wqkv);
        args[1] = IValue.from(qd);
        for (int i = 0; i < pairs.length; i++) {
            args[2 + i] = IValue.from((PtNDArray) pairs[i]);
        }
        try (IValue out = runNoGrad("stack_qkv_lora", args)) {
            NDList ab = out.toNDList((PtNDManager) scope);
            return new LowRank(ab.get(0), ab.get(1));
        }
    }

    /**
     * {@link #llamaLayer} with an additive {@code mask} ({@code [B|1, 1, T, T]}, 0 keep, large negative drop) instead of
     * the causal rule: left padding without a cache.
     */
    public static NDArray llamaMaskedLayer(NDArray h, NDArray inputNorm, NDArray qkv, NDArray o, NDArray postNorm,
                                           NDArray gateUp, NDArray down, NDArray eps, NDArray cos, NDArray sin,
                                           NDArray mask, LowRank... updates) {
        return run("llama_masked_layer", layerInputs(new NDArray[] {h, inputNorm, qkv, o, postNorm, gateUp, down, eps,
                cos, sin, mask}, updates)).singletonOrThrow();
    }

    /**
     * What one {@link #llamaLayerTrain} call keeps for {@link #llamaLayerBackward}, held inside libtorch (the CUDA
     * attention kernel's sequence bounds have no DJL form); the backward frees it, {@link #close} otherwise.
     */
    public sealed interface SavedActivations extends AutoCloseable
            permits WholeLayerActivations, SegmentedLlamaLayer.Activations {
        @Override
        void close();
    }

    /** {@code llama_layer_train}'s list, for {@code llama_layer_backward}. */
    static final class WholeLayerActivations implements SavedActivations {
        private IValue saved;

        private WholeLayerActivations(IValue saved) {
            this.saved = saved;
        }

        private IValue take() {
            IValue s = saved;
            if (s == null) {
                throw new IllegalStateException("layer activations already used or freed");
            }
            saved = null;
            return s;
        }

        @Override
        public void close() {
            if (saved != null) {
                take().close();
            }
        }
    }

    /**
     * Runs {@link #llamaLayerTrain} and {@link #llamaLayerBackward} segment by segment even where
     * {@link NativeTrainKernels} does not serve the activations, TorchScript's norms and SwiGLU between the segments
     * (tests compare that layout with the whole-layer call; benchmarks separate the segmentation's host cost from the
     * native kernels' gain).
     */
    public static void segmentLayers(boolean on) {
        segmentLayers = on;
    }

    /** A layer's output and what its hand-written backward reads. */
    public record LayerTrace(NDArray output, SavedActivations saved) {
    }

    /**
     * {@link #llamaLayer} without autograd, for training through {@link #llamaLayerBackward}: each update is
     * {@link LowRank#NONE} or an {@code [r, in]} / {@code [out, r]} pair; on CUDA the activations must be fp16 (the
     * flash kernel's). The output attaches to {@code h}'s manager. One TorchScript call, or where
     * {@link NativeTrainKernels} serves the activations, its norms and SwiGLU between the segments of that call.
     */
    public static LayerTrace llamaLayerTrain(NDArray h, NDArray inputNorm, NDArray qkv, NDArray o, NDArray postNorm,
                                             NDArray gateUp, NDArray down, float eps, NDArray cos, NDArray sin,
                                             LowRank... updates) {
        if (segmentLayers || NativeTrainKernels.serves(h)) {
            return SegmentedLlamaLayer.train(h, inputNorm, qkv, o, postNorm, gateUp, down, eps, cos, sin, updates);
        }
        IValue[] parts;
        try (IValue out = runNoGrad("llama_layer_train", ivalues(layerInputs(new NDArray[] {h, inputNorm, qkv, o,
                postNorm, gateUp, down, Scalars.constant(h, eps), cos, sin}, updates)))) {
            parts = out.toIValueTuple();
        }
        try (IValue output = parts[0]) {
            return new LayerTrace(output.toTensor((PtNDManager) h.getManager()), new WholeLayerActivations(parts[1]));
        }
    }

    /**
     * The backward of one {@link #llamaLayerTrain} call (same inputs, its saved activations, which this frees) for
     * the output gradient {@code dOut}: the input gradient, then the gradients of each update's A and scaled B in
     * order (empty arrays for {@link LowRank#NONE}), attached to {@code dOut}'s manager.
     */
    public static NDList llamaLayerBackward(NDArray dOut, NDArray h, NDArray inputNorm, NDArray qkv, NDArray o,
                                            NDArray postNorm, NDArray gateUp, NDArray down, float eps, NDArray cos,
                                            NDArray sin, SavedActivations saved, LowRank... updates) {
        if (saved instanceof SegmentedLlamaLayer.Activations segments) {
            return SegmentedLlamaLayer.backward(dOut, h, inputNorm, qkv, o, postNorm, gateUp, down, cos, sin, segments,
                    updates);
        }
        NDArray[] fixed = {dOut, h, inputNorm, qkv, o, postNorm, gateUp, down, Scalars.constant(h, eps), cos, sin};
        IValue[] args = insert(ivalues(layerInputs(fixed, updates)), fixed.length,
                ((WholeLayerActivations) saved).take());
        try (IValue out = runNoGrad("llama_layer_backward", args)) {
            return out.toNDList((PtNDManager) dOut.getManager());
        }
    }

    /**
     * The final RMSNorm and {@link #lmHeadLoss} without autograd, for the hand-written backward: the summed loss, the
     * number of counted labels and the gradient of {@code factor * loss} with respect to {@code hidden} (in its dtype),
     * attached to {@code hidden}'s manager; {@code chunkRows} rows of logits at a time, or where the native kernels run
     * it, {@link NativeTrainKernels#lossChunkRows}' (fp16 logits).
     */
    public static NDList normLmHeadLossBackward(NDArray hidden, NDArray norm, float eps, NDArray weight,
                                                NDArray labels, long chunkRows, NDArray factor) {
        if (NativeTrainKernels.serves(hidden)) {
            return normLmHeadLossBackwardNative(hidden, norm, eps, weight, labels,
                    NativeTrainKernels.lossChunkRows(weight.getShape().get(0)), factor);
        }
        try (IValue out = runNoGrad("norm_lm_head_loss_backward", ivalues(new NDArray[] {hidden, norm,
                Scalars.constant(hidden, eps), weight, labels, chunkRowsScalar(chunkRows), factor}))) {
            return out.toNDList((PtNDManager) hidden.getManager());
        }
    }

    /**
     * {@link #normLmHeadLossBackward} with each chunk's cross-entropy and its gradient as one native kernel
     * ({@link NativeTrainKernels#crossEntropyGrad}) on the fp16 logits, between the chunk's logits and its matmul
     * (which writes its rows of the norm's output gradient in place), and the final norm forward and backward as the
     * native RMSNorm kernels, the backward applying the loss factor in fp32.
     */
    private static NDList normLmHeadLossBackwardNative(NDArray hidden, NDArray norm, float eps, NDArray weight,
                                                       NDArray labels, long chunkRows, NDArray factor) {
        try (NDManager scope = hidden.getManager().newSubManager()) {
            NDList normed = NativeTrainKernels.rmsNorm(hidden, norm, eps);
            normed.attach(scope);
            NDArray x = normed.get(0).reshape(-1, hidden.getShape().tail());
            NDList prologue;
            try (IValue out = runNoGrad("lm_head_targets", IValue.from((PtNDArray) labels), IValue.from((PtNDArray) x))) {
                prologue = out.toNDList((PtNDManager) scope);
            }
            NDArray target = prologue.get(0);
            NDArray dx = prologue.get(1);
            long rows = x.getShape().get(0);
            List<NDArray> losses = new ArrayList<>();
            for (long start = 0; start < rows; start += chunkRows) {
                NDArray logits;
                try (IValue out = runNoGrad("lm_head_logits", IValue.from((PtNDArray) x),
                        IValue.from((PtNDArray) weight), IValue.from(start),
                        IValue.from(Math.min(rows, start + chunkRows)))) {
                    logits = out.toTensor((PtNDManager) scope);
                }
                // the gradient times 256 (a power of two: exact), as _lm_head_chunks scales it for fp16
                losses.add(NativeTrainKernels.crossEntropyGrad(logits, target, start, 256f));
                runNoGrad("lm_head_dx", IValue.from((PtNDArray) logits), IValue.from((PtNDArray) weight),
                        IValue.from((PtNDArray) dx), IValue.from(start)).close();
                logits.close();
            }
            NDList epilogue;
            try (IValue out = runNoGrad("lm_head_epilogue", IValue.listFrom(pt(losses)),
                    IValue.from((PtNDArray) target), IValue.from((PtNDArray) factor))) {
                epilogue = out.toNDList((PtNDManager) scope);
            }
            NDArray dh = NativeTrainKernels.rmsNormBackward(dx, epilogue.get(2), hidden, norm, normed.get(1), null);
            NDList result = new NDList(epilogue.get(0), epilogue.get(1), dh);
            result.attach(hidden.getManager());
            return result;
        }
    }

    /** {@code args} with {@code value} inserted at {@code at}: a saved list among a method's tensor arguments. */
    static IValue[] insert(IValue[] args, int at, IValue value) {
        IValue[] out = new IValue[args.length + 1];
        System.arraycopy(args, 0, out, 0, at);
        out[at] = value;
        System.arraycopy(args, at, out, at + 1, args.length - at);
        return out;
    }

    static IValue[] ivalues(NDArray[] arrays) {
        IValue[] out = new IValue[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            out[i] = IValue.from((PtNDArray) arrays[i]);
        }
        return out;
    }

    /** The fixed inputs, then each update's A and scaled B (the shared empty array for none). */
    private static NDArray[] layerInputs(NDArray[] fixed, LowRank[] updates) {
        return layerInputs(fixed, updates, fixed[0]);
    }

    private static NDArray[] layerInputs(NDArray[] fixed, LowRank[] updates, NDArray like) {
        return layerInputs(fixed, updates, 0, updates.length, like);
    }

    /** The fixed inputs, then the A and scaled B of updates {@code from} to {@code to} (exclusive), as above. */
    static NDArray[] layerInputs(NDArray[] fixed, LowRank[] updates, int from, int to, NDArray like) {
        NDArray[] in = Arrays.copyOf(fixed, fixed.length + 2 * (to - from));
        NDArray none = empty(like.getDevice(), like.getDataType());
        for (int i = from; i < to; i++) {
            in[fixed.length + 2 * (i - from)] = updates[i].a() == null ? none : updates[i].a();
            in[fixed.length + 2 * (i - from) + 1] = updates[i].a() == null ? none : updates[i].scaledB();
        }
        return in;
    }

    /**
     * bfloat16 values packed two to an int32 word (DJL can hold neither bf16 nor int16 arrays), decoded on their device
     * into a flat array of {@code dtype} (the bf16 view exists only inside libtorch); element 1 is
     * the largest finite magnitude (0-d fp32), so that a caller can refuse values {@code dtype} cannot hold.
     */
    public static NDList fromBf16Bits(NDArray pairs, DataType dtype) {
        // not through runNoGrad: that runs in inference mode, whose outputs autograd may not save for backward
        return run("from_bf16_bits", pairs, Casts.token(pairs.getDevice(), dtype));
    }

    /** {@code silu(gate) * up}. */
    public static NDArray swiglu(NDArray gate, NDArray up) {
        return run("swiglu", gate, up).singletonOrThrow();
    }

    /** {@code x} in {@code like}'s dtype, differentiable (DJL's {@code toType} runs without autograd). */
    public static NDArray castLike(NDArray x, NDArray like) {
        return run("cast_like", x, like).singletonOrThrow();
    }

    /**
     * Next-token cross-entropy in fp32 over logits {@code [B, T, V]} and labels {@code [B, T]} (position t predicts
     * label t+1, -100 ignored): the summed loss and the number of counted labels, both 0-d.
     */
    public static NDList causalLmLoss(NDArray logits, NDArray labels) {
        return run("causal_lm_loss", logits, labels);
    }

    /**
     * {@link #causalLmLoss} of the logits {@code hidden [B, T, H]} times the frozen {@code weight [V, H]}^T, without the
     * whole {@code [B*T, V]} logits: {@code chunkRows} rows at a time ({@link #lmHeadChunkRows}). Under autograd the
     * gradient with respect to {@code hidden} is computed during this call, chunk by chunk, so the backward saves no
     * logits or softmax.
     */
    public static NDList lmHeadLoss(NDArray hidden, NDArray weight, NDArray labels, long chunkRows) {
        return run("lm_head_loss", hidden, weight, labels, chunkRowsScalar(chunkRows));
    }

    /** A CPU scalar, read by the kernel without a device sync; one per distinct value. */
    private static NDArray chunkRowsScalar(long chunkRows) {
        return CHUNK_ROWS.computeIfAbsent(chunkRows, r -> Scalars.owner(Device.cpu()).create(r));
    }

    /** Rows of one {@link #lmHeadLoss} chunk for a vocabulary of {@code vocab}: about 2^25 logits (128 MiB in fp32). */
    public static long lmHeadChunkRows(long vocab) {
        return Math.max(16, (1L << 25) / vocab);
    }

    /**
     * On the device, for one read per step: {@code [summed loss, gradient norm times unscale]} (fp32), the divisor
     * {@link #fusedAdamw} applies to the gradients ({@code 1 / (unscale * clip)}, clip from {@code maxNorm}, none when
     * 0) and {@code found_inf} (1 when the loss or the norm is not finite, else 0); attached to {@code scope}.
     * {@code unscale} is a 0-d fp32 array on the device ({@link #fill}), read when the work runs.
     */
    public static NDList stepStats(List<NDArray> grads, NDArray lossSum, NDArray unscale, double maxNorm,
                                   NDManager scope) {
        if (NativeTrainKernels.servesStep(lossSum) && lossSum.getDataType() == DataType.FLOAT32) {
            try (NDManager norms = scope.newSubManager(); IValue out = runNoGrad("grad_norms",
                    IValue.listFrom(pt(grads)))) {
                return NativeTrainKernels.stepStats(out.toTensor((PtNDManager) norms), lossSum, unscale, maxNorm,
                        scope);
            }
        }
        try (IValue out = runNoGrad("step_stats", IValue.listFrom(pt(grads)), IValue.from((PtNDArray) lossSum),
                IValue.from((PtNDArray) unscale), IValue.from(maxNorm))) {
            return out.toNDList((PtNDManager) scope);
        }
    }

    /** {@code step += 1 - foundInf} in place (0-d fp32 tensors on one device). */
    public static void advanceStep(NDArray step, NDArray foundInf) {
        runNoGrad("advance_step_", IValue.from((PtNDArray) step), IValue.from((PtNDArray) foundInf)).close();
    }

    /**
     * torch's fused AdamW in place over one weight-decay group, one kernel: gradients divided by {@code gradScale},
     * nothing changed when {@code foundInf} is 1; {@code steps} holds each tensor's bias-correction count and
     * {@code lr} the learning rate (0-d fp32 on the parameters' device, read when the work runs).
     */
    public static void fusedAdamw(List<NDArray> params, List<NDArray> grads, List<NDArray> expAvgs,
                                  List<NDArray> expAvgSqs, List<NDArray> steps, NDArray lr, double beta1, double beta2,
                                  double eps, double weightDecay, NDArray gradScale, NDArray foundInf) {
        runNoGrad("fused_adamw_", IValue.listFrom(pt(params)), IValue.listFrom(pt(grads)), IValue.listFrom(pt(expAvgs)),
                IValue.listFrom(pt(expAvgSqs)), IValue.listFrom(pt(steps)), IValue.from((PtNDArray) lr),
                IValue.from(beta1),
                IValue.from(beta2), IValue.from(eps), IValue.from(weightDecay), IValue.from((PtNDArray) gradScale),
                IValue.from((PtNDArray) foundInf)).close();
    }

    /**
     * Gradients of the scalar {@code loss} with respect to {@code params} (zeros for those it does not reach), in
     * {@code scope}: returned rather than accumulated into each parameter's {@code .grad}, which saves an accumulate
     * kernel per parameter and the zeroing between steps.
     */
    public static List<NDArray> gradients(NDArray loss, List<NDArray> params, NDManager scope) {
        return gradients(List.of(loss), List.of(), params, scope);
    }

    /**
     * {@link #gradients} of {@code sum(outputs[i] * gradOutputs[i])}: the vector-Jacobian product that carries
     * gradients computed by hand for some intermediate {@code outputs} back to the {@code params} they were made from.
     * An empty {@code gradOutputs}: the outputs are scalars, each with gradient 1.
     */
    public static List<NDArray> gradients(List<NDArray> outputs, List<NDArray> gradOutputs, List<NDArray> params,
                                          NDManager scope) {
        try (IValue out = runNoGrad("gradients", IValue.listFrom(pt(outputs)), IValue.listFrom(pt(gradOutputs)),
                IValue.listFrom(pt(params)))) {
            return List.of(out.toTensorArray((PtNDManager) scope));
        }
    }

    /**
     * Sets every element of {@code x} to {@code value} in place, queued like a kernel (no host-to-device copy, so the
     * device does not wait for it): how a step's scalars change between steps without a copy or a sync.
     */
    public static void fill(NDArray x, double value) {
        runNoGrad("fill_", IValue.from((PtNDArray) x), IValue.from(value)).close();
    }

    /** {@code dst[i] = src[i]} in place (same shapes). */
    public static void copy(List<NDArray> dst, List<NDArray> src) {
        runNoGrad("copy_", IValue.listFrom(pt(dst)), IValue.listFrom(pt(src))).close();
    }

    /** {@code total[i] += more[i]} in place. */
    public static void accumulate(List<NDArray> total, List<NDArray> more) {
        runNoGrad("accumulate_", IValue.listFrom(pt(total)), IValue.listFrom(pt(more))).close();
    }

    /** Runs a method under the current autograd mode (the selector array names it; DJL passes it on by name). */
    private static NDList run(String method, NDArray... inputs) {
        NDList in = new NDList(inputs.length + 1);
        for (NDArray x : inputs) {
            in.add(x);
        }
        in.add(SELECTORS.computeIfAbsent(method, Kernels::selector));
        PLAIN_EXECUTOR.get();
        return IValueUtils.forward(module(), in, true);
    }

    /** Runs a method with autograd off; closes the arguments. */
    static IValue runNoGrad(String method, IValue... args) {
        PLAIN_EXECUTOR.get();
        try {
            return IValueUtils.runMethod(module(), method, args);
        } finally {
            for (IValue a : args) {
                a.close();
            }
        }
    }

    /** A shared empty array: a target without a low-rank update in {@link #llamaLayer}, or no mask. */
    static NDArray empty(Device device, DataType dtype) {
        return EMPTY.computeIfAbsent(device + "/" + dtype, k -> Scalars.owner(device).zeros(new Shape(0), dtype));
    }

    private static PtNDArray[] pt(List<NDArray> arrays) {
        return arrays.stream().map(a -> (PtNDArray) a).toArray(PtNDArray[]::new);
    }

    private static NDArray selector(String method) {
        NDArray s = Scalars.owner(Device.cpu()).create(0f);
        s.setName("module_method:" + method);
        return s;
    }

    private static PtSymbolBlock module() {
        PtSymbolBlock m = module;
        if (m == null) {
            synchronized (Kernels.class) {
                if (module == null) {
                    module = load();
                }
                m = module;
            }
        }
        return m;
    }

    private static PtSymbolBlock load() {
        try (InputStream src = Kernels.class.getResourceAsStream(SOURCE)) {
            if (src == null) {
                throw new PeftCoreException("kernel source " + SOURCE + " missing from the classpath");
            }
            byte[] archive = archive(src.readAllBytes());
            PtNDManager owner = (PtNDManager) Scalars.owner(Device.cpu());
            return JniUtils.loadModule(owner, new ByteArrayInputStream(archive), false, false);
        } catch (IOException | RuntimeException e) {
            throw new PeftCoreException("cannot compile the TorchScript kernels (" + SOURCE + "): " + e.getMessage(),
                    null, null, e);
        }
    }

    /**
     * The archive {@code torch.jit.save} would write for a module of class {@code __torch__.Kernels} with only the
     * {@code training} attribute: its pickled state, the class source, empty constants and the format version.
     */
    static byte[] archive(byte[] source) throws IOException {
        ByteArrayOutputStream state = new ByteArrayOutputStream();
        // pickle protocol 2: GLOBAL __torch__.Kernels, EMPTY_TUPLE NEWOBJ, {'training': True} BUILD, STOP
        state.write(new byte[] {(byte) 0x80, 2, 'c'});
        state.write(("__torch__\n" + CLASS_NAME + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        state.write(new byte[] {')', (byte) 0x81, '}', 'X', 8, 0, 0, 0});
        state.write("training".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        state.write(new byte[] {(byte) 0x88, 's', 'b', '.'});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            stored(zip, "kernels/data.pkl", state.toByteArray());
            stored(zip, "kernels/code/__torch__.py", source);
            stored(zip, "kernels/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
            stored(zip, "kernels/version", "3\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }
}
