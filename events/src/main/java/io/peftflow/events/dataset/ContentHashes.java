package io.peftflow.events.dataset;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A split's content hashes as dataset-service stores them beside the split ({@code <split>.hashes}): one 64-bit hash
 * per kept example — the content normalised as its duplicate check normalises it (case, punctuation and spacing
 * folded) — sorted ascending, little-endian. Readers compare versions by content with these, without the data.
 */
public final class ContentHashes {
    private ContentHashes() {
    }

    public static byte[] encode(long[] sorted) {
        ByteBuffer b = ByteBuffer.allocate(sorted.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (long h : sorted) {
            b.putLong(h);
        }
        return b.array();
    }

    /** The hashes of an object written by {@link #encode}; an {@link IllegalArgumentException} when it is not one. */
    public static long[] decode(byte[] bytes) {
        if (bytes.length % Long.BYTES != 0) {
            throw new IllegalArgumentException("a content-hash object has a multiple of 8 bytes, got " + bytes.length);
        }
        long[] out = new long[bytes.length / Long.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
        for (int i = 1; i < out.length; i++) {
            if (out[i - 1] > out[i]) {
                throw new IllegalArgumentException("content hashes are not sorted at index " + i);
            }
        }
        return out;
    }

    /** Both sorted arrays as one sorted array. */
    public static long[] union(long[] a, long[] b) {
        long[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        Arrays.sort(out);
        return out;
    }

    /** How many of {@code a}'s examples (sorted hashes) have content that {@code b} (sorted) does not contain. */
    public static long absent(long[] a, long[] b) {
        long missing = 0;
        int j = 0;
        for (long h : a) {
            while (j < b.length && b[j] < h) {
                j++;
            }
            if (j == b.length || b[j] != h) {
                missing++;
            }
        }
        return missing;
    }
}
