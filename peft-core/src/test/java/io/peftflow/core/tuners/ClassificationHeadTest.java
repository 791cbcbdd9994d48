package io.peftflow.core.tuners;

import static io.peftflow.core.tuners.TunerTesting.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import io.peftflow.core.Fixtures;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.ForwardArgs;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.model.Models;
import io.peftflow.core.nn.Parameter;
import io.peftflow.core.tuners.lora.LoraConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassificationHeadTest {
    static final String LLAMA = "llama_gqa_tied";

    @TempDir
    Path tmp;

    @Test
    void headReadsTheLastRealTokenTrainsAndRoundTrips() {
        long[] row = Fixtures.longs(Fixtures.expected(LLAMA).get("input_ids"))[0];
        float[] want;
        try (CausalLM model = Models.load(Fixtures.dir(LLAMA), LoadOptions.cpu());
             NDManager s = model.manager().newSubManager()) {
            PeftModel peft = new PeftModel(model);
            peft.add("lora", new LoraConfig(4, 8, TargetModules.of("q_proj")), 1);
            ClassificationHead head = (ClassificationHead) peft.add("cls", new ClassificationHeadConfig(5), 2);
            assertEquals(4 * 2 * (64 + 64) + 5 * 64, peft.trainableParameterCount());
            want = head.logits(peft, ForwardArgs.ids(s.create(row, new Shape(1, row.length)))).toFloatArray();
            assertEquals(5, want.length);
            // The same row padded left and right, in one batch: both give the unpadded logits.
            int t = row.length + 2;
            long[] ids = new long[2 * t];
            long[] mask = new long[2 * t];
            System.arraycopy(row, 0, ids, 2, row.length);
            System.arraycopy(row, 0, ids, t, row.length);
            for (int i = 0; i < row.length; i++) {
                mask[2 + i] = 1;
                mask[t + i] = 1;
            }
            ForwardArgs padded = ForwardArgs.ids(s.create(ids, new Shape(2, t)))
                    .attentionMask(s.create(mask, new Shape(2, t)));
            NDArray logits = head.logits(peft, padded);
            assertEquals(new Shape(2, 5), logits.getShape());
            assertTrue(maxAbsDiff(want, logits.get("0").toFloatArray()) < 1e-4, "left padding");
            assertTrue(maxAbsDiff(want, logits.get("1").toFloatArray()) < 1e-4, "right padding");

            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = head.logits(peft, padded);
                gc.backward(Loss.softmaxCrossEntropyLoss().evaluate(new ai.djl.ndarray.NDList(s.create(new long[] {1,
                    3})), new ai.djl.ndarray.NDList(out)));
            }
            for (Parameter p : peft.namedParameters().values()) {
                if (p.isTrainable() && !p.name().contains("lora_A")) {
                    assertTrue(p.array().getGradient().abs().max().getFloat() > 0, p.name());
                } else if (!p.isTrainable()) {
                    assertTrue(!p.array().hasGradient(), p.name());
                }
            }
            peft.save("cls", tmp.resolve("cls"), LLAMA);
        }
        try (CausalLM model = Models.load(Fixtures.dir(LLAMA), LoadOptions.cpu());
             NDManager s = model.manager().newSubManager()) {
            PeftModel peft = new PeftModel(model);
            ClassificationHead head = (ClassificationHead) peft.load(tmp.resolve("cls"), "cls");
            float[] noLora = head.logits(peft, ForwardArgs.ids(s.create(row, new Shape(1, row.length))))
                    .toFloatArray();
            assertEquals(5, noLora.length);
            assertTrue(maxAbsDiff(want, noLora) < 1e-5, "LoRA B is zero: same hidden states, same saved head");
        }
        assertThrows(PeftCoreException.class, () -> new ClassificationHeadConfig(1));
    }
}
