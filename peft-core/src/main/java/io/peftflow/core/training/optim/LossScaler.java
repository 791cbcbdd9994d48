package io.peftflow.core.training.optim;

/**
 * Dynamic loss scaling for fp16 (torch's GradScaler rules): the loss is multiplied by {@link #scale()} before
 * backward so small gradients survive fp16; a step whose gradients overflow is skipped and the scale halved; after
 * {@code growthInterval} good steps in a row it doubles. Disabled (scale 1, never changes) for fp32.
 */
public final class LossScaler {
    private final boolean enabled;
    private final int growthInterval;
    private float scale;
    private int goodSteps;

    public LossScaler(boolean enabled, float initialScale, int growthInterval) {
        this.enabled = enabled;
        this.scale = enabled ? initialScale : 1f;
        this.growthInterval = growthInterval;
    }

    public boolean enabled() {
        return enabled;
    }

    public float scale() {
        return scale;
    }

    public int goodSteps() {
        return goodSteps;
    }

    /** Restores a checkpointed state. */
    public void restore(float savedScale, int savedGoodSteps) {
        this.scale = savedScale;
        this.goodSteps = savedGoodSteps;
    }

    /** Records whether this step's gradients were finite; returns false when the step must be skipped. */
    public boolean update(boolean finite) {
        if (!enabled) {
            return finite;
        }
        if (!finite) {
            scale = Math.max(scale * 0.5f, Float.MIN_NORMAL);
            goodSteps = 0;
            return false;
        }
        if (++goodSteps >= growthInterval) {
            scale *= 2f;
            goodSteps = 0;
        }
        return true;
    }
}
