package io.peftflow.dataset.upload;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.peftflow.data.Sha256;
import io.peftflow.dataset.validation.ValidatedUpload;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes {@code report.json}: the version's header, the validation summary and every rejected line. The line
 * errors are streamed from the validator's spill file, so a report of millions of errors costs no memory.
 */
final class ReportWriter {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private ReportWriter() {
    }

    /** The file and its SHA-256. */
    record Written(Path file, String sha256) {
    }

    static Written write(Map<String, Object> header, ValidatedUpload upload) throws IOException {
        Map<String, Object> report = new LinkedHashMap<>(header);
        report.putAll(upload.summary());
        byte[] head = JSON.writeValueAsBytes(report);
        Path file = upload.workDir().resolve("report.json");
        MessageDigest digest = Sha256.newDigest();
        try (OutputStream out = new BufferedOutputStream(new DigestOutputStream(Files.newOutputStream(file), digest))) {
            // {...summary} becomes {...summary,"errors":[<spill>]}
            out.write(head, 0, head.length - 1);
            out.write(",\"errors\":[".getBytes(StandardCharsets.US_ASCII));
            Files.copy(upload.errors(), out);
            out.write("]}".getBytes(StandardCharsets.US_ASCII));
        }
        return new Written(file, Sha256.hex(digest));
    }
}
