package io.peftflow.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A low-rank update {@code y += x A^T B^T} of a {@link Linear}, as a fused kernel applies it: {@code a} is
 * {@code [r, in]} and {@code scaledB} {@code [out, r]} (the adapter's scaling already in it), both in the activations'
 * dtype; or one pair per row of the batch (mixed adapters), {@code a} {@code [B, in, r]} and {@code scaledB}
 * {@code [B, r, out]}. {@link #NONE} is a Linear without an enabled hook. {@code packing}, where not null, is where the
 * pairs' owner keeps what the kernels derive from them for as long as the pairs stay the same.
 */
public record LowRank(NDArray a, NDArray scaledB, Packing packing) {
    public static final LowRank NONE = new LowRank(null, null, null);

    /** An update whose derived forms are computed on every call. */
    public LowRank(NDArray a, NDArray scaledB) {
        this(a, scaledB, null);
    }

    /**
     * What a decode step would otherwise derive from one preparation of an adapter's pairs on every layer and step: a
     * layer's q/k/v pairs stacked into the one pair of its fused q|k|v matmul (A's rows stacked, the B's
     * block-diagonal). Made on first use in {@code scope}, the preparation's, and reused while it lasts: new weights or
     * another adapter come with a new preparation and so a new packing, never a stale one.
     */
    public static final class Packing {
        private final NDManager scope;
        /** By the identity of a layer's first q/k/v A. */
        private final Map<NDArray, Stacked> qkv = new IdentityHashMap<>();

        private record Stacked(LowRank q, LowRank k, LowRank v, LowRank pair) {
        }

        public Packing(NDManager scope) {
            this.scope = scope;
        }

        /**
         * The q, k and v updates of the layer whose fused weight is {@code wqkv} ({@code [qd + 2 kvd, in]}, queries
         * {@code qd} wide) as one pair over its output, or null unless all are {@code [r, in]} pairs of this packing
         * or none.
         */
        LowRank qkv(NDArray wqkv, long qd, LowRank q, LowRank k, LowRank v) {
            NDArray key = q.a != null ? q.a : k.a != null ? k.a : v.a;
            if (key == null || !ownsPair(q) || !ownsPair(k) || !ownsPair(v)) {
                return null;
            }
            Stacked s = qkv.get(key);
            if (s == null || s.q.a != q.a || s.k.a != k.a || s.v.a != v.a) {
                s = new Stacked(q, k, v, Kernels.stackQkvLora(wqkv, qd, q, k, v, scope));
                qkv.put(key, s);
            }
            return s.pair;
        }

        private boolean ownsPair(LowRank u) {
            return u.a == null || (u.packing == this && u.a.getShape().dimension() == 2);
        }
    }
}
