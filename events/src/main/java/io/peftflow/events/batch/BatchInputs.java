package io.peftflow.events.batch;

import io.peftflow.events.contract.FileId;
import io.peftflow.events.contract.Tenant;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Where the Batch API's input files live: dataset-service validates and writes them, inference-service reads them.
 * {@code s3://peftflow-batch-inputs/<tenant>/<file id>.jsonl}: the tenant's prefix, so a file id of another tenant
 * names no object.
 */
public final class BatchInputs {
    public static final String BUCKET = "peftflow-batch-inputs";
    /** The only endpoint a batch line may call: the Batch API runs classification. */
    public static final String ENDPOINT = "/v1/classify";
    public static final String METHOD = "POST";
    /** The object's user metadata holding the uploaded file's name. */
    public static final String FILENAME_METADATA = "filename";
    /** The longest line a reader of batch files takes (dataset-service's {@code batch-max-line-bytes} stays below). */
    public static final int MAX_LINE_BYTES = 1 << 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private BatchInputs() {
    }

    /**
     * The one line rule of batch files, for the side that checks them (dataset-service) and the side that runs them
     * (inference-service), so both count the same lines: a line ends at {@code \n} only, a {@code \r} right before it
     * belongs to the ending (CRLF files), a {@code \r} anywhere else to the line (JSON whitespace); the last line needs
     * no {@code \n}; an empty file has no line, and a final {@code \n} starts none.
     */
    public static final class Lines implements Closeable {
        private final InputStream in;
        private final int maxBytes;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private boolean tooLong;

        /** Lines of {@code in} (closed with this), each kept up to {@code maxBytes} bytes. */
        public Lines(InputStream in, int maxBytes) {
            this.in = new BufferedInputStream(in, 1 << 16);
            this.maxBytes = maxBytes;
        }

        /**
         * The next line's bytes without its ending, or null after the last line. A line longer than {@code maxBytes}
         * comes cut to its first {@code maxBytes} bytes, with {@link #tooLong} true.
         */
        public byte[] next() throws IOException {
            line.reset();
            tooLong = false;
            int b = in.read();
            if (b < 0) {
                return null;
            }
            for (; b >= 0 && b != '\n'; b = in.read()) {
                if (line.size() < maxBytes + 1) {
                    line.write(b); // one byte more than the limit: a '\r' there may still be the line's ending
                } else {
                    tooLong = true;
                }
            }
            byte[] bytes = line.toByteArray();
            int end = b == '\n' && bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
            tooLong |= end > maxBytes;
            return Arrays.copyOf(bytes, Math.min(end, maxBytes));
        }

        /** The next line as UTF-8 text (malformed bytes replaced), or null after the last line. */
        public String nextText() throws IOException {
            byte[] bytes = next();
            return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
        }

        /** Whether the line {@link #next} returned last was longer than the limit. */
        public boolean tooLong() {
            return tooLong;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    public static String key(String tenant, FileId.BatchInput file) {
        return prefix(tenant) + file.value() + ".jsonl";
    }

    public static String prefix(String tenant) {
        return Tenant.check("tenant", tenant) + "/";
    }

    /**
     * 24 hex digits that sort newest first: 12 of the milliseconds left until 2^48 ms, then 12 random. Listings by key
     * (S3's only order) are then newest first, as OpenAI lists files and batches, with no index beside the objects.
     */
    public static String newestFirstHex(long epochMillis) {
        byte[] random = new byte[6];
        RANDOM.nextBytes(random);
        return String.format("%012x", (1L << 48) - 1 - epochMillis) + HexFormat.of().formatHex(random);
    }
}
