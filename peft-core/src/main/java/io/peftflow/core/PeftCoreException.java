package io.peftflow.core;

import java.nio.file.Path;

/**
 * The one exception type peft-core throws for bad input: missing or truncated files, corrupt headers,
 * unknown architectures, shape or dtype mismatches, invalid hyperparameters. The message names the file, tensor or
 * config field when known, so a user can tell which checkpoint file is broken without a debugger, and a service can
 * answer a bad request with the field at fault ({@link #field()}).
 */
public class PeftCoreException extends RuntimeException {
    private final transient Path file;
    private final String tensor;
    private final String field;

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
        this.field = null;
    }

    private PeftCoreException(String field, String message) {
        super(message);
        this.file = null;
        this.tensor = null;
        this.field = field;
    }

    /**
     * An invalid config value: {@code field} is its key as the config's JSON spells it ({@code r},
     * {@code lora_alpha}, {@code learningRate}); the message says what is wrong and should start with the key.
     */
    public static PeftCoreException invalidField(String field, String message) {
        return new PeftCoreException(field, message);
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

    /** The config field at fault (its JSON key), or null. */
    public String field() {
        return field;
    }
}
