package io.peftflow.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.peftflow.core.nn.Kernels;

/** Rotary position embeddings as transformers computes them (rotate-half layout, fp32 angles). */
final class Rope {
    private Rope() {
    }

    /** Inverse frequencies for head size {@code dim}, with the config's scaling applied (in fp32, like HF). */
    static float[] invFreq(ModelConfig c) {
        int dim = c.headDim();
        float[] inv = new float[dim / 2];
        for (int i = 0; i < inv.length; i++) {
            inv[i] = (float) (1.0 / Math.pow(c.ropeTheta(), (float) (2 * i) / dim));
        }
        ModelConfig.RopeScaling s = c.ropeScaling();
        if (s == null) {
            return inv;
        }
        if (s.type().equals("linear")) {
            for (int i = 0; i < inv.length; i++) {
                inv[i] = (float) (inv[i] / s.factor());
            }
            return inv;
        }
        // llama3: long wavelengths divided by factor, short kept, the band between interpolated smoothly.
        double lowWavelen = s.originalMaxPositions() / s.lowFreqFactor();
        double highWavelen = s.originalMaxPositions() / s.highFreqFactor();
        for (int i = 0; i < inv.length; i++) {
            double wavelen = 2 * Math.PI / inv[i];
            if (wavelen > lowWavelen) {
                inv[i] = (float) (inv[i] / s.factor());
            } else if (wavelen >= highWavelen) {
                double smooth = (s.originalMaxPositions() / wavelen - s.lowFreqFactor())
                        / (s.highFreqFactor() - s.lowFreqFactor());
                inv[i] = (float) ((1 - smooth) * inv[i] / s.factor() + smooth * inv[i]);
            }
        }
        return inv;
    }

    /**
     * cos and signed sin (first half negated, see {@link Kernels#rope}) {@code [B, 1, T, D]} for positions
     * {@code [B, T]}, in {@code dtype}; {@code invFreq} (fp32, on the positions' device) is made once per model, as a
     * per-forward host-to-device copy would stall the stream.
     */
    static NDArray[] cosSin(NDArray positions, NDArray invFreq, DataType dtype) {
        NDArray freqs = positions.toType(DataType.FLOAT32, false).expandDims(-1).mul(invFreq);
        NDArray cos = freqs.concat(freqs, -1).expandDims(1).cos();
        NDArray sinHalf = freqs.sin();
        NDArray sin = sinHalf.neg().concat(sinHalf, -1).expandDims(1);
        if (dtype != DataType.FLOAT32) {
            cos = cos.toType(dtype, false);
            sin = sin.toType(dtype, false);
        }
        return new NDArray[] {cos, sin};
    }

    /** Splits {@code [B, T, n*D]} projections into heads {@code [B, n, T, D]} and rotates them. */
    static NDArray apply(NDArray x, NDArray cos, NDArray sin) {
        return Kernels.rope(x, cos, sin);
    }
}
