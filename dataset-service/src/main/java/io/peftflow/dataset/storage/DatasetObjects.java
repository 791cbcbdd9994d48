package io.peftflow.dataset.storage;

import io.peftflow.dataset.DatasetConfig;
import io.peftflow.kit.storage.ObjectStore;
import io.peftflow.kit.storage.ObjectStoreException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A version's objects in the datasets bucket. */
@ApplicationScoped
public class DatasetObjects {
    private static final Logger LOG = Logger.getLogger(DatasetObjects.class);

    private final ObjectStore store;
    private final String bucket;

    public DatasetObjects(ObjectStore store, DatasetConfig config) {
        this.store = store;
        this.bucket = config.bucket();
    }

    /** Stores a local file under {@code key}, its hash in the object's metadata for verification. */
    public void put(String key, Path file, String contentType, String sha256) {
        try (InputStream in = Files.newInputStream(file)) {
            store.put(bucket, key, in, Files.size(file), contentType, Map.of("sha256", sha256));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " to store it as " + key, e);
        }
    }

    public InputStream get(String key) {
        return store.get(bucket, key);
    }

    /** Deletes every object of the version; best effort, so cleanup after a failure reports the first cause. */
    public void deleteQuietly(VersionKeys keys) {
        for (String key : keys.all()) {
            try {
                store.delete(bucket, key);
            } catch (ObjectStoreException e) {
                LOG.warnf("could not delete %s after a failed upload: %s", ObjectStore.uri(bucket, key), e.getMessage());
            }
        }
    }

    /** The S3 URI of {@code key} in the datasets bucket. */
    public String uri(String key) {
        return ObjectStore.uri(bucket, key);
    }

    /** S3 URIs of the version's objects by name: raw, train, validation, report. */
    public Map<String, String> uris(VersionKeys keys) {
        Map<String, String> uris = new LinkedHashMap<>();
        uris.put("raw", ObjectStore.uri(bucket, keys.raw()));
        uris.put("train", ObjectStore.uri(bucket, keys.train()));
        uris.put("validation", ObjectStore.uri(bucket, keys.validation()));
        uris.put("report", ObjectStore.uri(bucket, keys.report()));
        return uris;
    }
}
