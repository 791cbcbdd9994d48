package io.peftflow.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.peftflow.core.Fixtures;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.device.Devices;
import io.peftflow.core.safetensors.SafetensorsFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fp16 code path (used on CUDA) is dtype-consistent: run on CPU, where PyTorch has half kernels, it
 * stays close to transformers' fp32 logits. CI has no GPU; the policy still rejects fp16 on CPU for users.
 */
class Fp16PathTest {
    @ParameterizedTest
    @ValueSource(strings = {"llama_gqa_tied", "mistral_sliding", "gpt2"})
    void halfPrecisionForwardTracksFp32(String name) {
        assertThrows(PeftCoreException.class, () -> new LoadOptions(Device.cpu(), DataType.FLOAT16));
        assertEquals(DataType.FLOAT32, Devices.defaultDtype(Device.cpu()));
        var exp = Fixtures.expected(name);
        long[] ids = Fixtures.row(exp.get("input_ids").get(0));
        float[] want;
        try (SafetensorsFile f = SafetensorsFile.open(Fixtures.dir(name).resolve("expected.safetensors"))) {
            want = f.readFloats("logits");
        }
        try (CausalLM model = HalfOnCpu.load(Fixtures.dir(name));
             NDManager step = model.manager().newSubManager()) {
            NDArray logits = model.forward(step.create(ids, new Shape(1, ids.length)));
            assertEquals(DataType.FLOAT16, logits.getDataType());
            float[] got = logits.toType(DataType.FLOAT32, false).toFloatArray();
            double worst = 0;
            for (int i = 0; i < got.length; i++) {
                worst = Math.max(worst, Math.abs(got[i] - want[i]));
            }
            System.out.printf("fp16 %-16s max|diff| = %.3g%n", name, worst);
            assertTrue(worst < 0.05, name + " fp16 diff " + worst);
        }
    }
}
