package io.peftflow.kit.storage;

/** The object store failed or refused an operation; names the object it was about. */
public class ObjectStoreException extends RuntimeException {
    public ObjectStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
