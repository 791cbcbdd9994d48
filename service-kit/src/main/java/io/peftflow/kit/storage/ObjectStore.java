package io.peftflow.kit.storage;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.InvalidResponseException;
import io.minio.errors.ServerException;
import io.minio.http.HttpUtils;
import io.minio.messages.Item;
import okhttp3.OkHttpClient;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The S3 buckets of a service: put/get/stat/list/delete. Objects are immutable in peftflow's layouts (a new version
 * gets a new key), except a batch's state, which is rewritten whole; reads and listings hold up while that happens.
 */
@ApplicationScoped
public class ObjectStore {
    private static final Logger LOG = Logger.getLogger(ObjectStore.class);
    /** S3's minimum multipart part size; objects of unknown length stream in parts of this size. */
    private static final long PART_SIZE = 16L * 1024 * 1024;

    /** S3's error codes that mean "try again" (the request was fine, the server was not). */
    private static final Set<String> TRANSIENT_CODES = Set.of("InternalError", "ServiceUnavailable", "SlowDown",
            "RequestTimeout", "RequestTimeTooSkewed", "OperationAborted");

    /** S3's error codes for an absent object (MinIO says NoSuchKey, some servers NoSuchObject). */
    private static final Set<String> MISSING = Set.of("NoSuchKey", "NoSuchObject");

    /** The file s3proxy's filesystem store writes an object to before renaming it: the key, a dash and a UUID. */
    static final Pattern IN_FLIGHT = Pattern.compile(".+-\\p{XDigit}{8}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{12}");

    /** The status in the message of the client's {@link InvalidResponseException}, which has no accessor for it. */
    private static final Pattern NON_XML_STATUS = Pattern.compile("Response code: (\\d{3})");

    /** A single-part upload's ETag: the content's MD5. */
    private static final Pattern MD5_ETAG = Pattern.compile("[0-9a-fA-F]{32}");

    private final ObjectStoreConfig config;
    private OkHttpClient http;
    private MinioClient client;

    public ObjectStore(ObjectStoreConfig config) {
        this.config = config;
    }

    @PostConstruct
    void connect() {
        // The client MinIO's builder would make (its 5 minute timeouts), kept to reach its connection pool.
        long timeout = Duration.ofMinutes(5).toMillis();
        http = HttpUtils.newDefaultHttpClient(timeout, timeout, timeout);
        client = MinioClient.builder()
                .httpClient(http)
                .endpoint(config.endpoint())
                .credentials(config.accessKey(), config.secretKey())
                .region(config.region())
                .build();
    }

    /** Creates the configured buckets that do not exist yet. Idempotent. */
    public void ensureBuckets() {
        for (String bucket : config.buckets()) {
            call("create bucket " + bucket, () -> {
                if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                    client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
                }
                return null;
            });
        }
    }

    /** Whether every configured bucket exists: the readiness check. */
    public boolean bucketsExist() {
        for (String bucket : config.buckets()) {
            boolean exists = call("check bucket " + bucket,
                    () -> client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()));
            if (!exists) {
                return false;
            }
        }
        return true;
    }

    /**
     * Stores {@code body} at {@code bucket/key}. {@code size} -1 streams an unknown length in parts.
     * Returns the object's ETag.
     */
    public String put(String bucket, String key, InputStream body, long size, String contentType,
                      Map<String, String> metadata) {
        return call("put " + uri(bucket, key), () -> client.putObject(PutObjectArgs.builder()
                .bucket(bucket).object(key)
                .stream(body, size, size < 0 ? PART_SIZE : -1)
                .contentType(contentType)
                .userMetadata(metadata)
                .build()).etag());
    }

    /** Stores a small object held in memory, repeated while it fails transiently (a byte array can be sent again). */
    public String put(String bucket, String key, byte[] body, String contentType) {
        return retrying("put " + uri(bucket, key),
                () -> put(bucket, key, new ByteArrayInputStream(body), body.length, contentType, Map.of()));
    }

    /** Opens the object for reading; the caller closes the stream. */
    public InputStream get(String bucket, String key) {
        return object(bucket, key);
    }

    /** {@link #get} with the response's headers (the ETag {@link #getBytes} checks). */
    private GetObjectResponse object(String bucket, String key) {
        return call("get " + uri(bucket, key),
                () -> client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build()));
    }

    /**
     * A small object read whole, repeated while it fails transiently or comes back torn. Whole: a stream closed before
     * its end leaves the connection to be drained or dropped. Torn: s3proxy's filesystem store serves an object
     * rewritten while it is read as the old length of a mix of both, and leaves the rest in the connection (whose next
     * request then fails with "Unexpected status line", whichever it is); the content is checked against its ETag
     * where that is an MD5, and a torn read closes the pool's idle connections, the one it left among them.
     */
    public byte[] getBytes(String bucket, String key) {
        String what = "get " + uri(bucket, key);
        return retrying(what, () -> {
            byte[] bytes;
            String etag;
            try (GetObjectResponse in = object(bucket, key)) {
                bytes = in.readAllBytes();
                etag = in.headers().get("ETag");
            }
            if (!contentMatches(bytes, etag)) {
                // The connection went back to the pool with the rest of the object in it: no request may take it.
                http.connectionPool().evictAll();
                throw new EOFException(what + ": torn read, the content does not match its ETag");
            }
            return bytes;
        });
    }

    /**
     * Whether {@code bytes} hash to {@code etag} where it is a single-part upload's MD5 (32 hex digits, quoted or not);
     * true for any other ETag (multipart, encrypted, none), which says nothing about the content.
     */
    static boolean contentMatches(byte[] bytes, String etag) {
        String hex = etag == null ? "" : etag.replace("\"", "");
        if (!MD5_ETAG.matcher(hex).matches()) {
            return true;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes)).equalsIgnoreCase(hex);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is a required JDK algorithm", e);
        }
    }

    /**
     * The object's size, ETag and metadata, or empty when there is no such object; repeated while it fails
     * transiently (a connection a torn read left unusable fails the next request on it).
     */
    public Optional<StatObjectResponse> stat(String bucket, String key) {
        return retrying("stat " + uri(bucket, key), () -> {
            try {
                return Optional.of(client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()));
            } catch (ErrorResponseException e) {
                if (MISSING.contains(e.errorResponse().code())) {
                    return Optional.<StatObjectResponse>empty();
                }
                throw e;
            }
        });
    }

    /** An object under a listed prefix: its full key, size and ETag. */
    public record Listed(String key, long size, String etag) {
    }

    /**
     * Every object whose key starts with {@code prefix}, at any depth, in key order; repeated while it fails
     * transiently. s3proxy's filesystem store writes an object to {@code <key>-<random UUID>} beside it and renames it
     * whole, and lists that file while it is written — an object that does not exist — or answers the listing with a
     * 500 when the file is renamed under it; such keys are left out ({@link #IN_FLIGHT}: no key layout of peftflow
     * ends in a UUID) and the 500 is retried.
     */
    public List<Listed> list(String bucket, String prefix) {
        return retrying("list " + uri(bucket, prefix), () -> {
            List<Listed> out = new ArrayList<>();
            for (Result<Item> r : client.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix)
                    .recursive(true).build())) {
                Item item = r.get();
                if (!item.isDir() && !IN_FLIGHT.matcher(item.objectName()).matches()) {
                    out.add(new Listed(item.objectName(), item.size(), item.etag()));
                }
            }
            out.sort(Comparator.comparing(Listed::key));
            return out;
        });
    }

    /** Removes the object, repeated while it fails transiently; removing a missing object is not an error (S3 semantics). */
    public void delete(String bucket, String key) {
        retrying("delete " + uri(bucket, key), () -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
            return null;
        });
    }

    /**
     * Runs {@code operation} — one that can be repeated from the start, e.g. a download into a fresh file or an
     * upload from a file — and repeats it while it fails transiently ({@link #isTransient}), waiting
     * {@code retry-initial-backoff} doubling up to {@code retry-max-backoff}, for at most {@code retry-for}. Other
     * failures, and the last transient one, are thrown as they are.
     */
    public <T> T retrying(String what, S3Call<T> operation) {
        long deadline = System.nanoTime() + config.retryFor().toNanos();
        Duration wait = config.retryInitialBackoff();
        for (int attempt = 1; ; attempt++) {
            try {
                return operation.run();
            } catch (Exception e) {
                if (!isTransient(e) || System.nanoTime() + wait.toNanos() > deadline) {
                    throw e instanceof RuntimeException r ? r : new ObjectStoreException(what + " failed: " + e.getMessage(), e);
                }
                LOG.warnf("%s failed transiently (attempt %d), retrying in %d ms: %s", what, attempt, wait.toMillis(),
                        e.getMessage());
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new ObjectStoreException(what + " interrupted while retrying: " + e.getMessage(), e);
                }
                wait = wait.multipliedBy(2).compareTo(config.retryMaxBackoff()) > 0 ? config.retryMaxBackoff() : wait.multipliedBy(2);
            }
        }
    }

    /**
     * Whether a failure may go away by itself: the store unreachable or slow (network errors, timeouts, a connection
     * cut mid-stream), a 5xx answer, or an S3 "try again" code. Local file errors and 4xx answers are not.
     */
    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ErrorResponseException r) {
                return TRANSIENT_CODES.contains(r.errorResponse().code()) || r.response() != null && r.response().code() >= 500;
            }
            if (t instanceof ServerException s) {
                return s.statusCode() >= 500;
            }
            if (t instanceof InvalidResponseException r) {
                // An answer that is not S3's XML (s3proxy's servlet error page): its status only in the message.
                Matcher code = NON_XML_STATUS.matcher(String.valueOf(r.getMessage()));
                return code.find() && code.group(1).charAt(0) == '5';
            }
            if (t instanceof InterruptedIOException || t instanceof EOFException
                    || t instanceof IOException && (t.getClass().getName().startsWith("java.net.")
                    || t.getClass().getName().startsWith("okhttp3.") || t.getClass().getName().startsWith("javax.net.ssl."))) {
                return true;
            }
        }
        return false;
    }

    public static String uri(String bucket, String key) {
        return "s3://" + bucket + "/" + key;
    }

    /** One S3 operation, which may throw what the client throws. */
    public interface S3Call<T> {
        T run() throws Exception;
    }

    private static <T> T call(String what, S3Call<T> call) {
        try {
            return call.run();
        } catch (ObjectStoreException e) {
            throw e;
        } catch (Exception e) {
            throw new ObjectStoreException(what + " failed: " + e.getMessage(), e);
        }
    }
}
