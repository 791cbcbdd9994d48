package io.peftflow.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import io.peftflow.core.checkpoint.Checkpoint;
import io.peftflow.core.data.EncodedDataset;
import io.peftflow.core.data.OverLongPolicy;
import io.peftflow.core.data.SequenceEncoder;
import io.peftflow.core.tiny.TinyModel;
import io.peftflow.core.tokenizer.Tokenizer;
import io.peftflow.core.training.Trainer;
import io.peftflow.core.training.TrainingConfig;
import io.peftflow.core.tuners.PeftModel;
import io.peftflow.core.tuners.TargetModules;
import io.peftflow.core.tuners.lora.LoraConfig;
import io.peftflow.data.sample.TransactionDataset;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * 50 LoRA steps (12 in fp16) on the embedded tiny model (all seven Llama targets, gradient accumulation, clipping, weight decay)
 * give the loss curve the implementation before issue 25's GPU work gave (recorded at d15b0b9 in
 * {@code loss-curve-<dtype>.txt}): the fused layer's splits, the attention's grouped-query path, the on-device loss
 * accumulation, clipping and skip decision, the fused AdamW and the chunked LM-head loss must change no step.
 * fp16 covers dynamic loss scaling. Each runs with the layers' hand-written backward (issue 25 item 5) and with
 * autograd. Run with {@code -Dpeftflow.recordCurve=DIR} to write the curves afresh.
 */
class LossCurveParityTest {
    /** fp32; fp16 runs 12 steps (half-precision kernels on a CPU are slow: 50 took 130 s on a loaded 2-core box). */
    static final int STEPS = 50;
    static final int FP16_STEPS = 12;

    @TempDir
    Path tmp;

    /** The loss curve of {@code steps} LoRA steps on the tiny model loaded in {@code dt}. */
    static List<Double> curve(DataType dt, int steps, Path tmp) {
        Path dir = TinyModel.write(tmp.resolve("tiny"));
        try (Tokenizer tok = Tokenizer.load(dir);
             Checkpoint ckpt = Checkpoint.open(dir);
             CausalLM model = Models.load(ckpt, Device.cpu(), dt)) {
            EncodedDataset train = new SequenceEncoder(tok, null, tok.maxLength(), OverLongPolicy.FAIL, false)
                    .encode(TransactionDataset.generate(96, 3).stream()
                            .map(TransactionDataset.Transaction::toExample).toList());
            PeftModel peft = new PeftModel(model);
            peft.add("default", new LoraConfig(4, 8, TargetModules.of("q_proj", "k_proj", "v_proj", "o_proj",
                    "gate_proj", "up_proj", "down_proj")), 7);
            TrainingConfig cfg = TrainingConfig.builder().learningRate(3e-3).weightDecay(0.01).maxSteps(steps)
                    .batch(8, 2).maxGradNorm(0.5).seed(13).build();
            return new Trainer(peft, cfg, tok.padId().orElse(0L)).train(train, null).losses();
        }
    }

    /** Both backward passes: the layers' hand-written one (the default here) and autograd's. */
    @ParameterizedTest
    @CsvSource({"float32, layers", "float32, autograd", "float16, layers", "float16, autograd"})
    void lossCurveMatchesThePreviousImplementation(String dtype, String backward) throws IOException {
        DataType dt = dtype.equals("float16") ? DataType.FLOAT16 : DataType.FLOAT32;
        int steps = dt == DataType.FLOAT16 ? FP16_STEPS : STEPS;
        List<Double> losses;
        System.setProperty(Trainer.BACKWARD_PROPERTY, backward);
        try {
            losses = curve(dt, steps, tmp);
        } finally {
            System.clearProperty(Trainer.BACKWARD_PROPERTY);
        }
        String record = System.getProperty("peftflow.recordCurve");
        String name = "loss-curve-" + dtype + ".txt";
        if (record != null) {
            StringBuilder sb = new StringBuilder();
            for (double l : losses) {
                sb.append(String.format(Locale.ROOT, "%.9f%n", l));
            }
            Files.writeString(Path.of(record, name), sb.toString());
            return;
        }
        List<Double> want = new ArrayList<>();
        try (InputStream in = LossCurveParityTest.class.getResourceAsStream(name)) {
            assertNotNull(in, name);
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                want.add(Double.parseDouble(line.trim()));
            }
        }
        assertEquals(steps, want.size());
        assertEquals(steps, losses.size());
        // fp32: rounding of a different kernel order only; fp16: the half-precision forward's rounding
        double tol = dt == DataType.FLOAT16 ? 2e-3 : 1e-4;
        for (int i = 0; i < steps; i++) {
            assertEquals(want.get(i), losses.get(i), tol * Math.max(1, Math.abs(want.get(i))),
                    dtype + " " + backward + " loss at step " + (i + 1) + ": previous " + want + ", now " + losses);
        }
    }
}
