package io.peftflow.dataset.upload;

import io.peftflow.data.Sha256;
import io.peftflow.kit.problem.ProblemException;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/** Turns a request body into a {@link RawUpload} on disk, enforcing the upload size limit while it streams. */
public final class UploadSpooler {
    private UploadSpooler() {
    }

    /** Copies {@code body} to {@code target}; 413 as soon as it passes {@code maxBytes}. */
    public static RawUpload spool(InputStream body, Path target, long maxBytes) throws IOException {
        try (OutputStream out = Files.newOutputStream(target)) {
            return scan(body, out, target, maxBytes);
        }
    }

    /** Adopts a file already on disk (a multipart part Quarkus stored): size check and hash in one read. */
    public static RawUpload adopt(Path file, long maxBytes) throws IOException {
        if (Files.size(file) > maxBytes) {
            throw tooLarge(maxBytes);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return scan(in, OutputStream.nullOutputStream(), file, maxBytes);
        }
    }

    private static RawUpload scan(InputStream in, OutputStream copy, Path file, long maxBytes) throws IOException {
        MessageDigest digest = Sha256.newDigest();
        byte[] buf = new byte[1 << 16];
        byte[] head = new byte[2];
        long size = 0;
        for (int n; (n = in.read(buf)) >= 0; ) {
            for (int i = 0; i < n && size + i < head.length; i++) {
                head[(int) size + i] = buf[i];
            }
            size += n;
            if (size > maxBytes) {
                throw tooLarge(maxBytes);
            }
            digest.update(buf, 0, n);
            copy.write(buf, 0, n);
        }
        return new RawUpload(file, size, Sha256.hex(digest), RawUpload.isGzip(head, (int) Math.min(size, 2)));
    }

    public static ProblemException tooLarge(long maxBytes) {
        return new ProblemException(Response.Status.REQUEST_ENTITY_TOO_LARGE,
                "upload larger than the limit of " + maxBytes + " bytes (peftflow.dataset.max-upload-bytes)");
    }
}
