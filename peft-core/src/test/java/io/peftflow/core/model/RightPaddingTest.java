package io.peftflow.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.peftflow.core.Fixtures;
import io.peftflow.core.nn.Kernels;
import io.peftflow.core.nn.Parameter;
import io.peftflow.core.tuners.PeftModel;
import io.peftflow.core.tuners.TargetModules;
import io.peftflow.core.tuners.lora.LoraConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A right-padded batch declared as such runs causal attention without its mask (the fused kernel's fast path); on
 * every real token the logits, the loss and the adapter gradients must equal those of the masked forward.
 */
class RightPaddingTest {
    @Test
    void unmaskedCausalForwardEqualsMaskedOnRealTokens() {
        for (String name : List.of("llama_gqa_tied", "qwen2_bias", "gpt2")) {
            try (CausalLM model = Models.load(Fixtures.dir(name), LoadOptions.cpu())) {
                PeftModel peft = new PeftModel(model);
                peft.add("default", new LoraConfig(4, 8, TargetModules.of(
                        model.config().isGpt2() ? "c_attn" : "q_proj", model.config().isGpt2() ? "c_proj" : "v_proj")),
                        3);
                List<Parameter> params = peft.trainableParameters();
                for (Parameter p : params) {
                    // B starts at zero; random values make the adapters' gradients depend on the attention pattern.
                    p.array().set(new ai.djl.ndarray.index.NDIndex("..."),
                            model.manager().randomNormal(0, 0.1f, p.shape(), p.array().getDataType()));
                }
                try (NDManager s = model.manager().newSubManager()) {
                    long[] ids = {5, 9, 13, 17, 21, 25, 7, 11, 15, 0, 0, 0};
                    long[] mask = {1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0};
                    long[] labels = {5, 9, 13, 17, 21, 25, 7, 11, 15, -100, -100, -100};
                    Shape shape = new Shape(2, 6);
                    Result masked = run(peft, params, s, ForwardArgs.ids(s.create(ids, shape))
                            .attentionMask(s.create(mask, shape)), s.create(labels, shape));
                    Result causal = run(peft, params, s, ForwardArgs.ids(s.create(ids, shape))
                            .attentionMask(s.create(mask, shape)).rightPadded(true), s.create(labels, shape));
                    assertArrayEquals(masked.realLogits, causal.realLogits, 1e-5f, name + " logits");
                    assertEquals(masked.loss, causal.loss, 1e-5f, name + " loss");
                    for (int i = 0; i < params.size(); i++) {
                        assertArrayEquals(masked.grads.get(i), causal.grads.get(i), 1e-5f,
                                name + " gradient of " + params.get(i).name());
                    }
                }
            }
        }
    }

    private record Result(float[] realLogits, float loss, List<float[]> grads) {
    }

    private static Result run(PeftModel peft, List<Parameter> params, NDManager s, ForwardArgs args, NDArray labels) {
        try (GradientCollector ignored = Engine.getInstance().newGradientCollector()) {
            NDArray logits = peft.forward(args);
            // Real tokens: all of row 0, the first three of row 1.
            float[] real = logits.get("0, :, :").flatten().concat(logits.get("1, :3, :").flatten()).toFloatArray();
            NDArray loss = CausalLmLoss.compute(logits, labels).sum();
            List<NDArray> grads = Kernels.gradients(loss, params.stream().map(Parameter::array).toList(), s);
            return new Result(real, loss.getFloat(), grads.stream().map(NDArray::toFloatArray).toList());
        }
    }
}
