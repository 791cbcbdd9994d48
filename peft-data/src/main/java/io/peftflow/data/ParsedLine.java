package io.peftflow.data;

/** What {@link JsonlReader} yields for each line: a normalised example, or the reason the line is rejected. */
public sealed interface ParsedLine {
    /** 1-based line number in the (decompressed) file. */
    long line();

    record Valid(long line, Example example) implements ParsedLine {
    }

    record Invalid(long line, String reason) implements ParsedLine {
    }
}
