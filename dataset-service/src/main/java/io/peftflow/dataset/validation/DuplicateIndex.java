package io.peftflow.dataset.validation;

/**
 * Remembers every example by two 64-bit hashes, its line's ({@link ContentHash#line}) and its near-duplicate
 * key ({@link ContentHash#near}), in one open-addressing table of pairs keyed by the near hash (linear
 * probing, load at most 0.75). An exact duplicate is always a near duplicate too, so one probe sequence
 * answers both questions with one random memory access per example instead of two. Memory: 16 bytes per slot,
 * 21 to 43 bytes per distinct line depending on where the last doubling left the table; no boxing.
 */
public final class DuplicateIndex {
    public enum Seen { NEW, NEAR_DUPLICATE, EXACT_DUPLICATE }

    /** 0 marks an empty slot; a real 0 near hash is stored as this instead (one more collision in 2^64). */
    private static final long ZERO_SUBSTITUTE = 0x7F4A7C159E3779B1L;

    /** near hash at 2i, line hash at 2i + 1. */
    private long[] slots = new long[2 << 12];
    private int size;

    /** Records the example unless it is an exact duplicate, and says what it was. */
    public Seen add(long near, long line) {
        long key = near == 0 ? ZERO_SUBSTITUTE : near;
        int mask = (slots.length >> 1) - 1;
        int i = index(key, mask);
        boolean nearSeen = false;
        while (slots[2 * i] != 0) {
            if (slots[2 * i] == key) {
                if (slots[2 * i + 1] == line) {
                    return Seen.EXACT_DUPLICATE;
                }
                nearSeen = true;
            }
            i = (i + 1) & mask;
        }
        slots[2 * i] = key;
        slots[2 * i + 1] = line;
        if (++size > (slots.length >> 1) - (slots.length >> 3)) {
            grow();
        }
        return nearSeen ? Seen.NEAR_DUPLICATE : Seen.NEW;
    }

    public int size() {
        return size;
    }

    private static int index(long key, int mask) {
        return (int) (key ^ (key >>> 32)) & mask;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        int mask = (slots.length >> 1) - 1;
        for (int j = 0; j < old.length; j += 2) {
            if (old[j] != 0) {
                int i = index(old[j], mask);
                while (slots[2 * i] != 0) {
                    i = (i + 1) & mask;
                }
                slots[2 * i] = old[j];
                slots[2 * i + 1] = old[j + 1];
            }
        }
    }
}
