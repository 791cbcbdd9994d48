package io.peftflow.dataset.validation;

/**
 * A set of 64-bit hashes in one open-addressing {@code long[]} (linear probing, load at most 0.75): 8 bytes per
 * slot, so 11 to 21 bytes per member depending on where the last doubling left it, and no boxing. The
 * duplicate detector holds one per kind of duplicate.
 */
public final class LongHashSet {
    /** 0 marks an empty slot; a real 0 is stored as this instead (one more collision in 2^64, accepted). */
    private static final long ZERO_SUBSTITUTE = 0x7F4A7C159E3779B1L;

    private long[] slots = new long[1 << 12];
    private int size;

    /** Adds {@code value}; false when it was already present. */
    public boolean add(long value) {
        long v = value == 0 ? ZERO_SUBSTITUTE : value;
        int mask = slots.length - 1;
        int i = (int) (v ^ (v >>> 32)) & mask;
        while (true) {
            long s = slots[i];
            if (s == 0) {
                slots[i] = v;
                if (++size > slots.length - (slots.length >>> 2)) {
                    grow();
                }
                return true;
            }
            if (s == v) {
                return false;
            }
            i = (i + 1) & mask;
        }
    }

    public int size() {
        return size;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        int mask = slots.length - 1;
        for (long v : old) {
            if (v != 0) {
                int i = (int) (v ^ (v >>> 32)) & mask;
                while (slots[i] != 0) {
                    i = (i + 1) & mask;
                }
                slots[i] = v;
            }
        }
    }
}
