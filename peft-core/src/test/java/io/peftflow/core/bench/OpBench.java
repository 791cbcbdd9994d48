package io.peftflow.core.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.peftflow.core.device.Devices;
import io.peftflow.core.nn.Kernels;
import io.peftflow.core.nn.LowRank;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Per-operation GPU timings of peft-core's kernels at the benchmark shapes (issue 25), the peer of
 * {@code bench/train-throughput/op_bench.py}: the 7B shape's GEMMs (forward and input gradient), causal SDPA forward and
 * backward at both shapes, and one whole {@link Kernels#llamaLayer} forward and backward with LoRA r=16 on q,k,v,o.
 * fp16 on the picked device. Each line: median milliseconds per call over 7 batches of {@code reps} calls, every
 * batch ended by a device-to-host read. {@code once}: the TinyLlama-shape layer's forward and backward twice, untimed,
 * for a kernel profiler to count. Usage: {@code OpBench [gemm,attn,layer|once]}; prints OP lines.
 */
public final class OpBench {
    private static final DataType DT = DataType.FLOAT16;

    private OpBench() {
    }

    public static void main(String[] args) {
        List<String> parts = Arrays.asList((args.length > 0 ? args[0] : "gemm,attn,layer").split(","));
        Device device = Devices.pick();
        Engine.getInstance().setRandomSeed(0);
        try (NDManager m = NDManager.newBaseManager(device)) {
            if (parts.contains("gemm")) {
                gemms(m);
            }
            if (parts.contains("attn")) {
                attention(m, "7b", 4, 32, 32, 1024, 128);
                attention(m, "tinyllama", 8, 32, 4, 512, 64);
            }
            if (parts.contains("layer")) {
                layer(m, "7b", 4, 1024, 4096, 32, 32, 11008, false);
                layer(m, "tinyllama", 8, 512, 2048, 32, 4, 5632, false);
            }
            if (parts.contains("once")) {
                layer(m, "tinyllama", 8, 512, 2048, 32, 4, 5632, true);
            }
        }
    }

    /** {@code y = x W^T} and {@code dx = dy W} at 4,096 tokens for q/k/v, o, gate/up, down and the LM head. */
    private static void gemms(NDManager m) {
        long n = 4096;
        long[][] shapes = {{4096, 12288}, {4096, 4096}, {4096, 22016}, {11008, 4096}, {4096, 32000}};
        String[] names = {"qkv", "o", "gate_up", "down", "lm_head"};
        for (int i = 0; i < shapes.length; i++) {
            long in = shapes[i][0];
            long out = shapes[i][1];
            try (NDManager s = m.newSubManager()) {
                NDArray x = s.randomNormal(0, 1, new Shape(n, in), DT);
                NDArray w = s.randomNormal(0, 0.02f, new Shape(out, in), DT);
                NDArray dy = s.randomNormal(0, 1, new Shape(n, out), DT);
                double flop = 2.0 * n * in * out;
                report("gemm " + names[i] + " fwd [" + n + "x" + in + "]x[" + in + "x" + out + "]",
                        time(s, 20, t -> x.matMul(w.transpose())), flop);
                report("gemm " + names[i] + " dgrad [" + n + "x" + out + "]x[" + out + "x" + in + "]",
                        time(s, 20, t -> dy.matMul(w)), flop);
            }
        }
    }

    /** Causal attention forward, then forward + backward (q, k and v gradients), through {@link Kernels}. */
    private static void attention(NDManager m, String shape, int b, int heads, int kvHeads, int t, int d) {
        try (NDManager s = m.newSubManager()) {
            NDArray q = s.randomNormal(0, 1, new Shape(b, heads, t, d), DT);
            NDArray k = s.randomNormal(0, 1, new Shape(b, kvHeads, t, d), DT);
            NDArray v = s.randomNormal(0, 1, new Shape(b, kvHeads, t, d), DT);
            NDArray g = s.randomNormal(0, 1, new Shape(b, t, (long) heads * d), DT);
            // causal: half the T x T score matrix, QK^T and PV
            double flop = 4.0 * b * heads * t * t * d / 2;
            report("sdpa " + shape + " fwd q" + q.getShape() + " kv" + k.getShape(),
                    time(s, 20, x -> Kernels.causalAttention(q, k, v)), flop);
            List<NDArray> leaves = List.of(q, k, v);
            leaves.forEach(a -> a.setRequiresGradient(true));
            report("sdpa " + shape + " fwd+bwd", time(s, 10, x -> {
                try (GradientCollector ignored = Engine.getInstance().newGradientCollector()) {
                    NDArray o = Kernels.causalAttention(q, k, v);
                    return Kernels.gradients(o.mul(g).sum(), leaves, x).get(0);
                }
            }), flop * 3.5);
        }
    }

    /** One decoder layer (fused weights, LoRA on q,k,v,o): forward, then forward + backward to h and the LoRA weights. */
    private static void layer(NDManager m, String shape, int b, int t, int hidden, int heads, int kvHeads, int inter,
                              boolean once) {
        int d = hidden / heads;
        int r = 16;
        long kvd = (long) kvHeads * d;
        try (NDManager s = m.newSubManager()) {
            NDArray h = s.randomNormal(0, 1, new Shape(b, t, hidden), DT);
            NDArray ln1 = s.ones(new Shape(hidden), DT);
            NDArray ln2 = s.ones(new Shape(hidden), DT);
            NDArray qkv = s.randomNormal(0, 0.02f, new Shape(hidden + 2 * kvd, hidden), DT);
            NDArray o = s.randomNormal(0, 0.02f, new Shape(hidden, hidden), DT);
            NDArray gateUp = s.randomNormal(0, 0.02f, new Shape(2L * inter, hidden), DT);
            NDArray down = s.randomNormal(0, 0.02f, new Shape(hidden, inter), DT);
            NDArray eps = s.create(1e-5f).toType(DT, false);
            NDArray pos = s.arange(0, t).toType(DataType.FLOAT32, false).reshape(1, t, 1);
            float[] inv = new float[d / 2];
            for (int i = 0; i < inv.length; i++) {
                inv[i] = (float) (1.0 / Math.pow(10000, 2.0 * i / d));
            }
            NDArray freqs = pos.mul(s.create(inv));
            NDArray cos = freqs.concat(freqs, -1).expandDims(1).cos().toType(DT, false);
            NDArray sinHalf = freqs.sin();
            NDArray sin = sinHalf.neg().concat(sinHalf, -1).expandDims(1).toType(DT, false);
            long[] outs = {hidden, kvd, kvd, hidden};
            List<NDArray> leaves = new ArrayList<>(List.of(h));
            LowRank[] updates = new LowRank[7];
            for (int i = 0; i < 7; i++) {
                if (i < 4) {
                    NDArray a = s.randomNormal(0, 0.02f, new Shape(r, hidden), DT);
                    NDArray bs = s.randomNormal(0, 0.02f, new Shape(outs[i], r), DT);
                    leaves.add(a);
                    leaves.add(bs);
                    updates[i] = new LowRank(a, bs);
                } else {
                    updates[i] = LowRank.NONE;
                }
            }
            leaves.forEach(a -> a.setRequiresGradient(true));
            NDArray g = s.randomNormal(0, 1, h.getShape(), DT);
            // forward: 2 FLOP per weight per token; backward: the input gradients, the same again, plus LoRA's
            double weights = (double) hidden * (hidden + 2 * kvd) + (double) hidden * hidden + 3.0 * hidden * inter;
            double flop = 2.0 * b * t * weights;
            Function<NDManager, NDArray> both = x -> {
                try (GradientCollector ignored = Engine.getInstance().newGradientCollector()) {
                    NDArray y = Kernels.llamaLayer(h, ln1, qkv, o, ln2, gateUp, down, eps, cos, sin, updates);
                    return Kernels.gradients(y.mul(g).sum(), leaves, x).get(0);
                }
            };
            if (once) {
                for (int i = 0; i < 2; i++) {
                    both.apply(s).reshape(-1).get(0).getFloat();
                }
                return;
            }
            report("layer " + shape + " fwd", time(s, 5, x -> Kernels.llamaLayer(h, ln1, qkv, o, ln2, gateUp, down,
                    eps, cos, sin, updates)), flop);
            report("layer " + shape + " fwd+bwd", time(s, 5, both), 2 * flop);
        }
    }

    private static void report(String what, double ms, double flop) {
        System.out.printf(Locale.ROOT, "OP peft-core %-60s %8.3f ms  %6.1f TFLOP/s%n", what, ms, flop / ms / 1e9);
    }

    /** Median ms per call of {@code op} over 7 batches of {@code reps} calls after 3 warm-up calls. */
    private static double time(NDManager m, int reps, Function<NDManager, NDArray> op) {
        double[] batches = new double[7];
        for (int i = -1; i < batches.length; i++) {
            try (NDManager s = m.newSubManager()) {
                int n = i < 0 ? 3 : reps;
                NDArray last = null;
                long t0 = System.nanoTime();
                for (int j = 0; j < n; j++) {
                    last = op.apply(s);
                    last.attach(s);
                }
                last.reshape(-1).get(0).getFloat();
                if (i >= 0) {
                    batches[i] = (System.nanoTime() - t0) / 1e6 / n;
                }
            }
        }
        Arrays.sort(batches);
        return batches[batches.length / 2];
    }
}
