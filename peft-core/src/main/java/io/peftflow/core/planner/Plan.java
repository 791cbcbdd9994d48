package io.peftflow.core.planner;

/**
 * What a PEFT run on a model needs. Parameter counts match HF PEFT's {@code get_nb_trainable_parameters}
 * ({@code totalParameters} includes the adapter). Memory in bytes; see {@link Planner} for the model.
 */
public record Plan(long baseParameters, long trainableParameters, long totalParameters, Memory memory) {
    /** What the CUDA context and libtorch's kernels take on the device before any tensor (about 0.5 GiB). */
    public static final long CUDA_CONTEXT_BYTES = 512L << 20;

    /** True when the estimate plus the CUDA context fits {@code deviceBytes} of device memory. */
    public boolean fits(long deviceBytes) {
        return memory.total() + CUDA_CONTEXT_BYTES <= deviceBytes;
    }

    /** Trainable share in percent, as PEFT prints it. */
    public double trainablePercent() {
        return 100.0 * trainableParameters / totalParameters;
    }

    /**
     * @param weights frozen base weights in the run's dtype
     * @param adapter adapter weights (fp32)
     * @param gradients adapter gradients (fp32)
     * @param optimizer AdamW's two fp32 moments per adapter parameter
     * @param activations tensors kept for the backward pass at the planned batch and sequence length
     */
    public record Memory(long weights, long adapter, long gradients, long optimizer, long activations) {
        public long total() {
            return weights + adapter + gradients + optimizer + activations;
        }
    }
}
