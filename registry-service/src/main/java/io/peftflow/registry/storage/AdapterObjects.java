package io.peftflow.registry.storage;

import io.peftflow.events.contract.S3Uri;
import io.peftflow.kit.storage.ObjectStore;
import io.peftflow.kit.storage.ObjectStoreException;
import io.peftflow.registry.RegistryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A version's objects in the adapters bucket, {@code <tenant>/<adapter>/v<N>/<file>}: the store has no object
 * versioning, so the number is part of every key and a version's files are never overwritten by another's.
 */
@ApplicationScoped
public class AdapterObjects {
    private static final Logger LOG = Logger.getLogger(AdapterObjects.class);

    private final ObjectStore store;
    private final String bucket;
    private final String modelsBucket;

    public AdapterObjects(ObjectStore store, RegistryConfig config) {
        this.store = store;
        this.bucket = config.bucket();
        this.modelsBucket = config.modelsBucket();
    }

    public static String prefix(String tenant, String adapter, int version) {
        return tenant + "/" + adapter + "/v" + version + "/";
    }

    public String uri(String tenant, String adapter, int version, String file) {
        return ObjectStore.uri(bucket, prefix(tenant, adapter, version) + file);
    }

    /** Stores a staged file, its hash in the object's metadata. */
    public void put(String tenant, String adapter, int version, Path file, String sha256) {
        String key = prefix(tenant, adapter, version) + file.getFileName();
        try (InputStream in = Files.newInputStream(file)) {
            store.put(bucket, key, in, Files.size(file), contentType(file.getFileName().toString()),
                    Map.of("sha256", sha256));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " to store it as " + key, e);
        }
    }

    public InputStream get(String tenant, String adapter, int version, String file) {
        return store.get(bucket, prefix(tenant, adapter, version) + file);
    }

    /**
     * Opens any {@code s3://bucket/key} (the trainer's output); empty when there is no such object. A URI of another
     * form is an {@link io.peftflow.events.contract.InvalidValue}.
     */
    public Optional<InputStream> open(String s3Uri) {
        S3Uri uri = S3Uri.parse(s3Uri);
        if (store.stat(uri.bucket(), uri.key()).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(store.get(uri.bucket(), uri.key()));
    }

    /** The base model's {@code config.json}, or empty when the models bucket has none. */
    public Optional<InputStream> baseConfig(String baseModel) {
        return open(baseConfigUri(baseModel));
    }

    public String baseConfigUri(String baseModel) {
        return ObjectStore.uri(modelsBucket, baseModel + "/config.json");
    }

    /** Best effort, so cleanup after a failure reports the first cause. */
    public void deleteQuietly(String tenant, String adapter, int version, List<String> files) {
        for (String file : files) {
            try {
                store.delete(bucket, prefix(tenant, adapter, version) + file);
            } catch (ObjectStoreException e) {
                LOG.warnf("could not delete %s after a failed registration: %s", uri(tenant, adapter, version, file),
                        e.getMessage());
            }
        }
    }

    /**
     * Streams one zip of the version's files under the directory {@code dir/}: unpacked, it is the adapter directory
     * that PEFT's {@code from_pretrained}, vLLM's {@code --lora-modules} and LoRAX load.
     */
    public void zip(String tenant, String adapter, int version, String dir, List<String> files, OutputStream out) {
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String file : files) {
                zip.putNextEntry(new ZipEntry(dir + "/" + file));
                try (InputStream in = get(tenant, adapter, version, file)) {
                    in.transferTo(zip);
                }
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("archive of " + prefix(tenant, adapter, version) + " failed", e);
        }
    }

    public static String contentType(String file) {
        if (file.endsWith(".json")) {
            return "application/json";
        }
        return "application/octet-stream";
    }
}
