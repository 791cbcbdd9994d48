package io.peftflow.data;

/**
 * Bounds that keep a hostile line from costing unbounded memory or stack.
 *
 * @param maxLineBytes    longest accepted line, in bytes without the line break; longer lines are skipped unread
 * @param maxNestingDepth deepest accepted JSON nesting (the chat format itself needs 3)
 */
public record ParserLimits(int maxLineBytes, int maxNestingDepth) {
    public static final ParserLimits DEFAULT = new ParserLimits(1 << 20, 16);

    public ParserLimits {
        if (maxLineBytes < 16 || maxLineBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxLineBytes out of range: " + maxLineBytes);
        }
        if (maxNestingDepth < 3) {
            throw new IllegalArgumentException("maxNestingDepth must be at least 3 (chat messages), got " + maxNestingDepth);
        }
    }
}
