package io.peftflow.core.model;

import ai.djl.ndarray.NDArray;

/**
 * Inputs of one forward pass. Exactly one of {@code inputIds} ({@code [B, T]} int64) and
 * {@code inputsEmbeds} ({@code [B, T, hidden]}, e.g. virtual prompt tokens prepended to embedded ids) is set.
 * {@code attentionMask} is {@code [B, past + T]} with 1 for real tokens and 0 for padding;
 * {@code positionIds} ({@code [B, T]}) default to {@code cumsum(mask) - 1}, or {@code past .. past + T - 1}.
 */
public final class ForwardArgs {
    private NDArray inputIds;
    private NDArray inputsEmbeds;
    private NDArray attentionMask;
    private NDArray positionIds;
    private NDArray keyMask;
    private KvCache cache;
    private boolean rightPadded;
    private boolean lastPositionOnly;

    private ForwardArgs() {
    }

    public static ForwardArgs ids(NDArray inputIds) {
        ForwardArgs a = new ForwardArgs();
        a.inputIds = inputIds;
        return a;
    }

    public static ForwardArgs embeds(NDArray inputsEmbeds) {
        ForwardArgs a = new ForwardArgs();
        a.inputsEmbeds = inputsEmbeds;
        return a;
    }

    public ForwardArgs attentionMask(NDArray mask) {
        this.attentionMask = mask;
        return this;
    }

    public ForwardArgs positionIds(NDArray positions) {
        this.positionIds = positions;
        return this;
    }

    /**
     * Which keys each new token attends to, {@code [B, T, past + T]} (true: attends), in place of the causal and padding
     * rule (and of {@code attentionMask}): several sequences packed in one row after a shared cached prefix, as the label
     * scorer packs a prompt's continuations. Needs {@code positionIds}. Every layer applies it as given, sliding-window
     * ones too: the caller keeps the keys a token sees within the window.
     */
    public ForwardArgs keyMask(NDArray visible) {
        this.keyMask = visible;
        return this;
    }

    /**
     * Declares that the mask pads only after each sequence's real tokens (training batches). Causal attention then
     * already keeps padding out of every real token's view, so the forward drops the mask and runs the fused causal
     * kernel; outputs at padded positions differ from a masked forward and must be ignored (labels -100).
     */
    public ForwardArgs rightPadded(boolean padsOnlyOnTheRight) {
        this.rightPadded = padsOnlyOnTheRight;
        return this;
    }

    /**
     * Declares that only the last position's output is read (a prompt encoded for its cache and its next token): the
     * hidden states and logits are {@code [B, 1, ...]}, and a model may skip the last layer's work for the other
     * positions (every position's keys and values still go to the cache).
     */
    public ForwardArgs lastPositionOnly(boolean onlyTheLast) {
        this.lastPositionOnly = onlyTheLast;
        return this;
    }

    /** Reads and extends this cache (generation); null for training. */
    public ForwardArgs cache(KvCache kvCache) {
        this.cache = kvCache;
        return this;
    }

    public NDArray inputIds() {
        return inputIds;
    }

    public NDArray inputsEmbeds() {
        return inputsEmbeds;
    }

    public NDArray attentionMask() {
        return attentionMask;
    }

    public NDArray positionIds() {
        return positionIds;
    }

    public NDArray keyMask() {
        return keyMask;
    }

    public KvCache cache() {
        return cache;
    }

    public boolean rightPadded() {
        return rightPadded;
    }

    public boolean lastPositionOnly() {
        return lastPositionOnly;
    }
}
