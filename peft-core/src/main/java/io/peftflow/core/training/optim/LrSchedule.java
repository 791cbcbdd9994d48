package io.peftflow.core.training.optim;

/**
 * Learning rate per optimizer step, as transformers' schedulers compute it: linear warmup from 0 to the peak over
 * {@code warmupSteps}, then cosine or linear decay to 0 at {@code totalSteps}, or constant.
 */
public record LrSchedule(Kind kind, double peak, int warmupSteps, int totalSteps) {
    public enum Kind { COSINE, LINEAR, CONSTANT }

    public LrSchedule {
        if (!(peak > 0) || warmupSteps < 0 || totalSteps < 1) {
            throw new IllegalArgumentException("need peak > 0, warmup >= 0, total >= 1; got " + peak + ", "
                    + warmupSteps + ", " + totalSteps);
        }
    }

    /** The rate for the update at 0-based {@code step}. */
    public double at(int step) {
        if (step < warmupSteps) {
            return peak * step / Math.max(1, warmupSteps);
        }
        double progress = (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
        return switch (kind) {
            case COSINE -> peak * Math.max(0, 0.5 * (1 + Math.cos(Math.PI * progress)));
            case LINEAR -> peak * Math.max(0, 1 - progress);
            case CONSTANT -> peak;
        };
    }
}
