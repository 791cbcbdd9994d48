package io.peftflow.events.batch;

import io.peftflow.events.contract.FileId;
import io.peftflow.events.contract.Tenant;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Where the Batch API's input files live: dataset-service validates and writes them, inference-service reads them.
 * {@code s3://peftflow-batch-inputs/<tenant>/<file id>.jsonl}: the tenant's prefix, so a file id of another tenant
 * names no object.
 */
public final class BatchInputs {
    public static final String BUCKET = "peftflow-batch-inputs";
    /** The only endpoint a batch line may call (completions are not batched: one generation at a time per base). */
    public static final String ENDPOINT = "/v1/classify";
    public static final String METHOD = "POST";
    /** The object's user metadata holding the uploaded file's name. */
    public static final String FILENAME_METADATA = "filename";
    private static final SecureRandom RANDOM = new SecureRandom();

    private BatchInputs() {
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
