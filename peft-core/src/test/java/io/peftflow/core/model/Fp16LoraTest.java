package io.peftflow.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.peftflow.core.Fixtures;
import io.peftflow.core.nn.Kernels;
import io.peftflow.core.nn.Parameter;
import io.peftflow.core.tuners.PeftModel;
import io.peftflow.core.tuners.TargetModules;
import io.peftflow.core.tuners.lora.LoraConfig;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * On an fp16 base, a forward through {@link PeftModel} packs LoRA's weights once per pass (two input widths here:
 * attention and down_proj); the result and the fp32 weights' gradients must match the per-target path the base
 * model's own forward takes.
 */
class Fp16LoraTest {
    @Test
    void packedPassMatchesPerTargetPassOnHalfBase() {
        try (CausalLM model = HalfOnCpu.load(Fixtures.dir("llama_gqa_tied"))) {
            PeftModel peft = new PeftModel(model);
            peft.add("default", new LoraConfig(4, 8, TargetModules.of("q_proj", "v_proj", "o_proj", "down_proj")), 5);
            List<Parameter> params = peft.trainableParameters();
            for (Parameter p : params) {
                p.array().set(new NDIndex("..."), model.manager().randomNormal(0, 0.05f, p.shape(), DataType.FLOAT32));
            }
            try (NDManager s = model.manager().newSubManager()) {
                NDArray ids = s.create(new long[] {5, 9, 13, 17, 21, 25, 7, 11}, new Shape(2, 4));
                Run packed = run(params, s, ids, a -> peft.forward(a));
                Run perTarget = run(params, s, ids, a -> model.forward(a));
                assertEquals(perTarget.loss, packed.loss, 2e-3 * Math.abs(perTarget.loss), "loss");
                for (int i = 0; i < params.size(); i++) {
                    float[] want = perTarget.grads.get(i);
                    float[] got = packed.grads.get(i);
                    double norm = 0;
                    double diff = 0;
                    for (int j = 0; j < want.length; j++) {
                        norm += want[j] * want[j];
                        diff += (want[j] - got[j]) * (want[j] - got[j]);
                    }
                    assertTrue(norm > 0, params.get(i).name() + " has a gradient");
                    assertTrue(Math.sqrt(diff) <= 1e-2 * Math.sqrt(norm), params.get(i).name() + ": relative gradient"
                            + " difference " + Math.sqrt(diff / norm));
                }
            }
        }
    }

    private record Run(float loss, List<float[]> grads) {
    }

    private static Run run(List<Parameter> params, NDManager s, NDArray ids, Function<ForwardArgs, NDArray> forward) {
        try (GradientCollector ignored = Engine.getInstance().newGradientCollector()) {
            NDArray loss = CausalLmLoss.compute(forward.apply(ForwardArgs.ids(ids)), ids).sum();
            List<NDArray> grads = Kernels.gradients(loss, params.stream().map(Parameter::array).toList(), s);
            return new Run(loss.getFloat(), grads.stream().map(NDArray::toFloatArray).toList());
        }
    }
}
