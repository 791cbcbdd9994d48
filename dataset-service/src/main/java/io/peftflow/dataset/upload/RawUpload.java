package io.peftflow.dataset.upload;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * An upload spooled to disk exactly as sent, with its size and SHA-256. It is stored as the version's raw
 * object; {@link #openJsonl} reads it back decompressed when it is gzip (recognised by its magic bytes,
 * whatever the headers or file name say), guarded against decompression bombs.
 */
public record RawUpload(Path file, long size, String sha256, boolean gzip) {

    /** {@code raw.jsonl} or {@code raw.jsonl.gz}. */
    public String objectName() {
        return gzip ? "raw.jsonl.gz" : "raw.jsonl";
    }

    public String contentType() {
        return gzip ? "application/gzip" : "application/x-ndjson";
    }

    /**
     * The JSONL text. A gzip may expand to at most {@code maxRatio} times its size (but at least 1 MiB, since
     * small files of repetitive text compress very well) and at most {@code maxBytes} in all; reading past
     * either, or reading a corrupt stream, throws {@link BadUploadException}.
     */
    public InputStream openJsonl(int maxRatio, long maxBytes) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        if (!gzip) {
            return in;
        }
        long allowed = Math.min(maxBytes, Math.max(1L << 20, size * maxRatio));
        return new GuardedGzip(new GZIPInputStream(in, 1 << 16), allowed, maxRatio, maxBytes);
    }

    static boolean isGzip(byte[] head, int n) {
        return n >= 2 && (head[0] & 0xFF) == 0x1F && (head[1] & 0xFF) == 0x8B;
    }

    /** Counts what comes out of the inflater and turns its failures into the client's fault. */
    private static final class GuardedGzip extends FilterInputStream {
        private final long allowed;
        private final int maxRatio;
        private final long maxBytes;
        private long produced;

        GuardedGzip(InputStream in, long allowed, int maxRatio, long maxBytes) {
            super(in);
            this.allowed = allowed;
            this.maxRatio = maxRatio;
            this.maxBytes = maxBytes;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = super.read(b, off, len);
            } catch (ZipException | EOFException e) {
                throw new BadUploadException("corrupt or truncated gzip: " + e.getMessage());
            }
            if (n > 0) {
                produced += n;
                if (produced > allowed) {
                    throw new BadUploadException("gzip expands beyond " + allowed + " bytes (limits: " + maxRatio
                            + " times its compressed size, " + maxBytes + " bytes in all); a decompression bomb?");
                }
            }
            return n;
        }
    }
}
