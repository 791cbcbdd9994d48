package io.peftflow.core;

import java.nio.file.Path;

/**
 * The one exception type peft-core throws for bad input: missing or truncated files, corrupt headers,
 * unknown architectures, shape or dtype mismatches. The message names the file and tensor when known, so a
 * user can tell which checkpoint file is broken without a debugger.
 */
public class PeftCoreException extends RuntimeException {
    private final transient Path file;
    private final String tensor;

    public PeftCoreException(String message) {
        this(message, null, null, null);
    }

    public PeftCoreException(String message, Throwable cause) {
        this(message, null, null, cause);
    }

    public PeftCoreException(String message, Path file, String tensor) {
        this(message, file, tensor, null);
    }

    public PeftCoreException(String message, Path file, String tensor, Throwable cause) {
        super(describe(message, file, tensor), cause);
        this.file = file;
        this.tensor = tensor;
    }

    private static String describe(String message, Path file, String tensor) {
        StringBuilder sb = new StringBuilder(message);
        if (file != null) {
            sb.append(" [file ").append(file).append(']');
        }
        if (tensor != null) {
            sb.append(" [tensor ").append(tensor).append(']');
        }
        return sb.toString();
    }

    /** The file at fault, or null. */
    public Path file() {
        return file;
    }

    /** The tensor at fault, or null. */
    public String tensor() {
        return tensor;
    }
}
