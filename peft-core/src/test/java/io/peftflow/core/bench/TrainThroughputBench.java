package io.peftflow.core.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import io.peftflow.core.checkpoint.Json;
import io.peftflow.core.data.Batch;
import io.peftflow.core.training.optim.AdamW;
import io.peftflow.core.device.Devices;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.model.ModelConfig;
import io.peftflow.core.model.Models;
import io.peftflow.core.nn.Kernels;
import io.peftflow.core.nn.Parameter;
import io.peftflow.core.tiny.TinyModel;
import io.peftflow.core.tokenizer.Tokenizer;
import io.peftflow.core.training.StepProgress;
import io.peftflow.core.training.TrainResult;
import io.peftflow.core.training.Trainer;
import io.peftflow.core.training.TrainingConfig;
import io.peftflow.core.training.TrainingListener;
import io.peftflow.core.data.EncodedDataset;
import io.peftflow.core.data.OverLongPolicy;
import io.peftflow.core.data.Sequence;
import io.peftflow.core.data.SequenceEncoder;
import io.peftflow.core.tuners.PeftModel;
import io.peftflow.core.tuners.TargetModules;
import io.peftflow.core.tuners.lora.LoraConfig;
import io.peftflow.data.Example;
import io.peftflow.data.sample.TransactionDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * LoRA training throughput through the real {@link Trainer} (AdamW, clipping, fp16 loss scaling).
 * {@code tiny}: the embedded default model on the generated transaction data, fp32 on the CPU.
 * {@code tinyllama}: the TinyLlama-1.1B shape with random weights, fp16 on CUDA, LoRA r=16 alpha=32 on q,k,v,o,
 * batch 8 x 512 random tokens (all labelled), as the HF PEFT peer in {@code bench/train-throughput/peft_bench.py}.
 * A checkpoint directory instead: loaded with {@link LoadOptions#auto()} (bf16 on disk becomes fp16 on the GPU), the
 * load time and host peak RSS printed, then the same LoRA run ({@code -Dbench.batch}, {@code -Dbench.seq}).
 * {@code -Dbench.lr} sets the learning rate (default 1e-4), and {@code -Dbench.distinct} / {@code -Dbench.varlen} the
 * random tokens ({@link #randomTokens}): with them, two runs' {@code LOSSES} lines check one configuration against another.
 * {@code -Dbench.segmented=true} runs the training layers segment by segment ({@link Kernels#segmentLayers}) without
 * the native kernels: the host cost of the segmentation alone.
 * Usage: {@code TrainThroughputBench tiny|tinyllama|<dir> [steps] [warmup]}; prints RESULT lines.
 */
public final class TrainThroughputBench {
    /** Sequence length; {@code -Dbench.seq} and {@code -Dbench.layers} shrink the shape for a CPU smoke run. */
    static final int SEQ = Integer.getInteger("bench.seq", 512);

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "tiny";
        Kernels.segmentLayers(Boolean.getBoolean("bench.segmented"));
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Path tmp = Files.createTempDirectory("bench");
        boolean checkpoint = Files.isDirectory(Path.of(which));
        boolean big = which.equals("tinyllama") || checkpoint;
        Engine.getInstance().setRandomSeed(0);
        long loadStart = System.nanoTime();
        long rssBefore = rssKb("VmRSS");
        try (CausalLM model = checkpoint ? Models.load(Path.of(which), LoadOptions.auto()) : big ? tinyLlama()
                : Models.load(TinyModel.write(tmp.resolve("tiny")), LoadOptions.cpu())) {
            if (checkpoint) {
                System.out.printf(Locale.ROOT, "RESULT load %s to %s %s: %.1f s, host RSS %d MiB before, peak %d MiB%n",
                        which, model.device(), model.dtype(), (System.nanoTime() - loadStart) / 1e9,
                        rssBefore / 1024, rssKb("VmHWM") / 1024);
            }
            PeftModel peft = new PeftModel(model);
            peft.add("default", new LoraConfig(big ? 16 : 8, big ? 32 : 16,
                    TargetModules.of("q_proj", "k_proj", "v_proj", "o_proj")), 1);
            int batch = Integer.getInteger("bench.batch", big ? 8 : 16);
            EncodedDataset data = big ? randomTokens(batch * (steps + warmup), SEQ, model.config().vocabSize())
                    : transactions(tmp);
            TrainingConfig cfg = TrainingConfig.builder().learningRate(Double.parseDouble(System.getProperty(
                            "bench.lr", "1e-4"))).maxSteps(steps + warmup)
                    .batch(batch, 1).build();
            long[] stamps = new long[steps + warmup + 1];
            // the process's CPU time over the timed steps: on a shared CPU, less sensitive to other load than the clock
            long[] cpu = new long[2];
            stamps[0] = System.nanoTime();
            TrainResult r = new Trainer(peft, cfg, 0).listener(new TrainingListener() {
                @Override
                public void onStep(StepProgress p) {
                    stamps[p.step()] = System.nanoTime();
                    if (p.step() == warmup || p.step() == steps + warmup) {
                        cpu[p.step() == warmup ? 0 : 1] = processCpuNanos();
                    }
                }
            }).train(data, null);
            // Tokens per step are the batch's real tokens; the random-token batches are all full.
            double secs = (stamps[steps + warmup] - stamps[warmup]) / 1e9;
            double[] ms = new double[steps];
            for (int i = 0; i < steps; i++) {
                ms[i] = (stamps[warmup + i + 1] - stamps[warmup + i]) / 1e6;
            }
            Arrays.sort(ms);
            long measuredTokens = big && !Boolean.getBoolean("bench.varlen") ? (long) steps * batch * SEQ
                    : r.tokens() * steps / (steps + warmup);
            if (Boolean.getBoolean("bench.breakdown")) {
                breakdown(peft, data.sequences().subList(0, batch));
            }
            System.out.printf(Locale.ROOT, "RESULT peft-core %s %s: %s; batch %d%s; %d steps after %d warmup:"
                            + " %.0f tokens/s, median %.1f ms/step, process CPU %.1f ms/step, loss %.3f -> %.3f, skipped %d,"
                            + " host peak RSS %d MiB%n",
                    which, model.device(), peft.trainableParametersReport(), batch, big ? " x " + SEQ : "", steps, warmup,
                    measuredTokens / secs, ms[steps / 2], (cpu[1] - cpu[0]) / 1e6 / steps, r.firstLoss(),
                    r.lastLoss(3), r.skippedSteps(), rssKb("VmHWM") / 1024);
            // every step's loss, to compare two configurations' curves (CUDA graphs against eager steps)
            System.out.println("LOSSES " + r.losses());
        }
    }

    /**
     * Median milliseconds of a step's parts on one batch under autograd, each ended by a device-to-host read:
     * forward with the loss (issue: host time until the call returns, before any sync; synced: with the loss read), backward, and
     * gradient norm + AdamW. Issue close to synced means the host, not the device, bounds the forward.
     */
    private static void breakdown(PeftModel peft, List<Sequence> seqs) {
        AdamW opt = new AdamW(peft.trainableParameters(), 0.9, 0.999, 1e-8, 0, peft.base().manager());
        int n = 10;
        double[][] t = new double[4][n];
        for (int i = 0; i < n + 2; i++) {
            try (NDManager scope = peft.base().manager().newSubManager()) {
                Batch b = Batch.collate(seqs, 0, scope);
                long t0;
                long t1;
                long t2;
                long t3;
                List<NDArray> grads;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    t0 = System.nanoTime();
                    NDArray loss = peft.loss(b.args(), b.labels()).sum();
                    t1 = System.nanoTime();
                    loss.getFloat();
                    t2 = System.nanoTime();
                    grads = io.peftflow.core.nn.Kernels.gradients(loss, opt.arrays(), scope);
                    loss.getFloat();
                    t3 = System.nanoTime();
                }
                opt.schedule(1e-9, 1);
                AdamW.StepStats stats = opt.stats(grads, scope.create(0f), 1, scope);
                opt.step(grads, stats);
                stats.read();
                long t4 = System.nanoTime();
                if (i >= 2) {
                    t[0][i - 2] = (t1 - t0) / 1e6;
                    t[1][i - 2] = (t2 - t0) / 1e6;
                    t[2][i - 2] = (t3 - t2) / 1e6;
                    t[3][i - 2] = (t4 - t3) / 1e6;
                }
            }
        }
        for (double[] row : t) {
            Arrays.sort(row);
        }
        System.out.printf(Locale.ROOT, "RESULT breakdown ms (median of %d): forward issue %.1f, forward+loss synced %.1f,"
                + " backward %.1f, grad norm+AdamW %.1f%n", n, t[0][n / 2], t[1][n / 2], t[2][n / 2], t[3][n / 2]);
        opt.close();
        hostCosts(peft.base().manager());
    }

    /**
     * Host cost per call on tiny {@code [8, 64]} tensors of the model's device and dtype, 2,000 calls each (then one
     * sync): a view (no kernel), an elementwise DJL op (one kernel), the same under autograd plus the backward of a
     * 500-op chain (per node), and a one-kernel TorchScript method.
     */
    private static void hostCosts(NDManager owner) {
        int n = 2000;
        try (NDManager m = owner.newSubManager()) {
            DataType dt = Devices.defaultDtype(m.getDevice());
            NDArray x = m.ones(new Shape(8, 64), dt);
            NDArray y = m.ones(new Shape(8, 64), dt);
            double view = perCall(m, n, s -> x.reshape(64, 8));
            double add = perCall(m, n, s -> x.add(y));
            double kernel = perCall(m, n, s -> io.peftflow.core.nn.Kernels.swiglu(x, y));
            NDArray leaf = m.ones(new Shape(8, 64), DataType.FLOAT32);
            leaf.setRequiresGradient(true);
            double chainIssue;
            double backward;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector();
                 NDManager s = m.newSubManager()) {
                NDArray h = io.peftflow.core.nn.Casts.to(leaf, dt);
                h.attach(s);
                long t0 = System.nanoTime();
                for (int i = 0; i < 500; i++) {
                    h = h.add(y);
                    h.attach(s);
                }
                NDArray sum = h.sum();
                sum.getFloat();
                long t1 = System.nanoTime();
                gc.backward(sum);
                leaf.getGradient().sum().getFloat();
                long t2 = System.nanoTime();
                chainIssue = (t1 - t0) / 1e3 / 500;
                backward = (t2 - t1) / 1e3 / 500;
            }
            System.out.printf(Locale.ROOT, "RESULT host us per call on %s: view %.1f, add %.1f, add under autograd %.1f"
                    + " (backward %.1f per node), TorchScript swiglu %.1f%n", m.getDevice(), view, add, chainIssue,
                    backward, kernel);
        }
    }

    private static double perCall(NDManager m, int n, java.util.function.Function<NDManager, NDArray> op) {
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            try (NDManager s = m.newSubManager()) {
                NDArray last = null;
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    last = op.apply(s);
                    last.attach(s);
                }
                long t1 = System.nanoTime();
                last.sum().getFloat();
                best = Math.min(best, (t1 - t0) / 1e3 / n);
            }
        }
        return best;
    }

    private static CausalLM tinyLlama() {
        ObjectNode c = Json.MAPPER.createObjectNode();
        c.putArray("architectures").add("LlamaForCausalLM");
        c.put("model_type", "llama").put("vocab_size", 32000).put("hidden_size", 2048)
                .put("intermediate_size", 5632).put("num_hidden_layers", Integer.getInteger("bench.layers", 22)).put("num_attention_heads", 32)
                .put("num_key_value_heads", 4).put("max_position_embeddings", 2048).put("rms_norm_eps", 1e-5)
                .put("rope_theta", 10000.0).put("hidden_act", "silu").put("tie_word_embeddings", false);
        ModelConfig mc = ModelConfig.parse(c, Path.of("config.json"));
        Device device = Devices.pick();
        // -Dbench.fp16=true runs the CUDA dtype path on the CPU (torch has half kernels there), to debug it.
        DataType dtype = Boolean.getBoolean("bench.fp16") ? DataType.FLOAT16 : Devices.defaultDtype(device);
        NDManager m = NDManager.newBaseManager(device);
        CausalLM model = Models.create(mc, m, dtype);
        for (Parameter p : model.namedParameters().values()) {
            p.set(p.name().endsWith("norm.weight") ? m.ones(p.shape(), dtype)
                    : m.randomNormal(0, 0.02f, p.shape(), dtype));
        }
        model.fuseProjections();   // what Models.load does
        return model;
    }

    /**
     * The process's CPU time (user + system) from /proc/self/stat in clock ticks of 10 ms: the GPU runs' staged JRE
     * has no jdk.management module (com.sun.management's bean), and the bench died on it there.
     */
    private static long processCpuNanos() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            // fields after the command's closing parenthesis: state is field 3, utime 14 and stime 15
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }

    /** A field of /proc/self/status in kB (VmRSS now, VmHWM the peak), or -1 where there is none. */
    private static long rssKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * {@code n} sequences of random tokens of {@code length}; {@code -Dbench.distinct=K} repeats K of them (a curve that
     * falls, as memorising does), {@code -Dbench.varlen=true} draws each one's length from 128, 192, ... length (several
     * batch shapes: several CUDA graphs sharing one pool).
     */
    private static EncodedDataset randomTokens(int n, int length, int vocab) {
        Random r = new Random(0);
        int distinct = Integer.getInteger("bench.distinct", n);
        boolean varlen = Boolean.getBoolean("bench.varlen");
        List<Sequence> seqs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (i >= distinct) {
                Sequence same = seqs.get(i % distinct);
                seqs.add(new Sequence(i, same.ids(), same.labels()));
                continue;
            }
            long[] ids = new long[varlen ? 128 + 64 * r.nextInt((length - 128) / 64 + 1) : length];
            for (int j = 0; j < ids.length; j++) {
                ids[j] = r.nextInt(vocab);
            }
            seqs.add(new Sequence(i, ids, ids.clone()));
        }
        return new EncodedDataset(seqs, n, 0, 0);
    }

    private static EncodedDataset transactions(Path tmp) {
        try (Tokenizer tok = Tokenizer.load(tmp.resolve("tiny"))) {
            List<Example> ex = TransactionDataset.generate(512, 1).stream()
                    .map(TransactionDataset.Transaction::toExample).toList();
            return new SequenceEncoder(tok, null, tok.maxLength(), OverLongPolicy.FAIL, false).encode(ex);
        }
    }
}
