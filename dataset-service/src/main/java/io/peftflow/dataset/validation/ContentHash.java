package io.peftflow.dataset.validation;

import io.peftflow.data.Example;
import io.peftflow.data.Turn;

/**
 * 64-bit hashes of an example's content. {@link #exact} covers roles, contents and label exactly, so two lines
 * that differ only in JSON layout or key order are duplicates. {@link #near} covers the contents only,
 * lower-cased with every run of non-alphanumeric characters collapsed to one space: lines differing in case,
 * punctuation or spacing collide. With 64 bits, a false collision among 10^8 examples has probability ~3e-4.
 */
public final class ContentHash {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    /** ASCII letters and digits lower-cased; 0 for separators. */
    private static final char[] ASCII_FOLD = new char[128];

    static {
        for (char c = 0; c < 128; c++) {
            ASCII_FOLD[c] = Character.isLetterOrDigit(c) ? Character.toLowerCase(c) : 0;
        }
    }

    private ContentHash() {
    }

    public static long exact(Example example) {
        long h = FNV_OFFSET;
        for (Turn turn : example.turns()) {
            h = mix(h, turn.role());
            h = (h ^ 0x1F) * FNV_PRIME;
            h = mix(h, turn.content());
            h = (h ^ 0x1E) * FNV_PRIME;
        }
        if (example.label() != null) {
            h = mix(h, example.label());
        }
        return fmix64(h);
    }

    public static long near(Example example) {
        long h = FNV_OFFSET;
        boolean pendingSpace = false;
        boolean any = false;
        for (Turn turn : example.turns()) {
            String s = turn.content();
            for (int i = 0, n = s.length(); i < n; i++) {
                char c = s.charAt(i);
                char folded = c < 128 ? ASCII_FOLD[c] : (Character.isLetterOrDigit(c) ? Character.toLowerCase(c) : 0);
                if (folded == 0) {
                    pendingSpace = any;
                    continue;
                }
                if (pendingSpace) {
                    h = (h ^ ' ') * FNV_PRIME;
                    pendingSpace = false;
                }
                h = (h ^ folded) * FNV_PRIME;
                any = true;
            }
            pendingSpace = any;
        }
        return fmix64(h);
    }

    /**
     * A uniform value in [0, 1) from a content hash and a seed: the split position of an example, the same for
     * the same content in every version of a dataset.
     */
    public static double unit(long hash, long seed) {
        return (fmix64(hash ^ fmix64(seed + 0x9E3779B97F4A7C15L)) >>> 11) * 0x1.0p-53;
    }

    private static long mix(long h, String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            h = (h ^ s.charAt(i)) * FNV_PRIME;
        }
        return h;
    }

    /** MurmurHash3's finaliser: spreads FNV's weak low bits over all 64. */
    static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
