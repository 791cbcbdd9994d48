package io.peftflow.dataset.validation;

import io.peftflow.data.Example;
import io.peftflow.data.Turn;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * 64-bit hashes for duplicate detection and the split. {@link #line} hashes a line's bytes (after BOM and CR
 * stripping): equal hashes mean exact duplicates. {@link #near} hashes the contents only, lower-cased with every
 * run of non-alphanumeric characters collapsed to one separator: lines differing in case, punctuation, spacing,
 * key order or label collide. Both consume 8 bytes (or 4 characters) per multiplication to stay cheap next to
 * parsing. With 64 bits, a false collision among 10^8 examples has probability ~3e-4.
 */
public final class ContentHash {
    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** ASCII letters and digits lower-cased; 0 for separators. */
    private static final char[] ASCII_FOLD = new char[128];

    static {
        for (char c = 0; c < 128; c++) {
            ASCII_FOLD[c] = Character.isLetterOrDigit(c) ? Character.toLowerCase(c) : 0;
        }
    }

    private ContentHash() {
    }

    /** The bytes {@code [off, off + len)}. */
    public static long line(byte[] b, int off, int len) {
        long h = len * C2;
        int i = off;
        for (int end = off + len - 7; i < end; i += 8) {
            h = round(h, (long) LONGS.get(b, i));
        }
        long tail = 0;
        for (int shift = 0; i < off + len; i++, shift += 8) {
            tail |= (b[i] & 0xFFL) << shift;
        }
        return fmix64(round(h, tail));
    }

    public static long near(Example example) {
        long h = 0;
        long word = 0;
        int inWord = 0;
        boolean pendingSeparator = false;
        boolean any = false;
        for (Turn turn : example.turns()) {
            String s = turn.content();
            for (int i = 0, n = s.length(); i < n; i++) {
                char c = s.charAt(i);
                char folded = c < 128 ? ASCII_FOLD[c] : (Character.isLetterOrDigit(c) ? Character.toLowerCase(c) : 0);
                if (folded == 0) {
                    pendingSeparator = any;
                    continue;
                }
                if (pendingSeparator) {
                    folded |= 0x8000;   // a separator before this character, without a character of its own
                    pendingSeparator = false;
                }
                word = word << 16 | folded;
                any = true;
                if (++inWord == 4) {
                    h = round(h, word);
                    word = 0;
                    inWord = 0;
                }
            }
            pendingSeparator = any;
        }
        return fmix64(round(h, word ^ ((long) inWord << 62)));
    }

    /**
     * A uniform value in [0, 1) from a content hash and a seed: the split position of an example, the same for
     * the same content in every version of a dataset.
     */
    public static double unit(long hash, long seed) {
        return (fmix64(hash ^ fmix64(seed + 0x9E3779B97F4A7C15L)) >>> 11) * 0x1.0p-53;
    }

    /** One MurmurHash3 x64 block step. */
    private static long round(long h, long k) {
        k *= C1;
        k = Long.rotateLeft(k, 31);
        k *= C2;
        h ^= k;
        return Long.rotateLeft(h, 27) * 5 + 0x52dce729;
    }

    /** MurmurHash3's finaliser. */
    static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
