package io.peftflow.dataset.validation;

/** A rejected line as reported: 1-based line number in the decompressed file, and why. */
public record LineError(long line, String reason) {
}
