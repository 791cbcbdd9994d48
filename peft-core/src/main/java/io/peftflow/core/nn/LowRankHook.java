package io.peftflow.core.nn;

/**
 * A {@link Hook} whose whole effect is a {@link LowRank} update (LoRA), so that a fused kernel can apply it inside
 * one call for several Linears instead of running the hook.
 */
public interface LowRankHook extends Hook {
    /** This pass's update, or null when the hook must run itself (e.g. dropout on its input while training). */
    LowRank lowRank();
}
