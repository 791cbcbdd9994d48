package io.peftflow.dataset.upload;

import java.io.IOException;

/**
 * The upload's bytes cannot be read as what they claim to be (corrupt or truncated gzip, a decompression bomb):
 * the client's fault, answered 422. An IOException so it travels through the streaming parser unchanged.
 */
public class BadUploadException extends IOException {
    public BadUploadException(String message) {
        super(message);
    }
}
