package io.peftflow.trainer.storage;

import io.peftflow.events.contract.S3Uri;
import io.peftflow.data.Sha256;
import io.peftflow.events.training.JobSucceeded;
import io.peftflow.kit.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Files between a worker's disk and S3: downloads checked against their SHA-256, directories uploaded file by file.
 * Each transfer is repeated while the store fails transiently ({@link ObjectStore#retrying}), so that an object store
 * restarting or briefly overloaded does not fail a job that has trained for hours.
 */
@ApplicationScoped
public class Transfers {
    private final ObjectStore store;

    public Transfers(ObjectStore store) {
        this.store = store;
    }

    /** Downloads {@code uri} to {@code target} (atomically); a SHA-256 other than {@code sha256} is an error. */
    public void download(S3Uri uri, Path target, String sha256) {
        store.retrying("download " + uri + " to " + target, () -> {
            Files.createDirectories(target.getParent());
            Path part = target.resolveSibling(target.getFileName() + ".part");
            try (InputStream in = store.get(uri.bucket(), uri.key())) {
                Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            }
            if (sha256 != null) {
                String actual = Sha256.hex(part);
                if (!actual.equals(sha256)) {
                    Files.delete(part);
                    throw new IllegalStateException(uri + " has SHA-256 " + actual + ", its announcement says " + sha256);
                }
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return null;
        });
    }

    /** Downloads every object under {@code prefix} into {@code dir}, keeping the names relative to the prefix. */
    public void downloadAll(String bucket, String prefix, Path dir) {
        for (ObjectStore.Listed o : store.retrying("list " + ObjectStore.uri(bucket, prefix), () -> store.list(bucket, prefix))) {
            download(new S3Uri(bucket, o.key()), dir.resolve(o.key().substring(prefix.length())), null);
        }
    }

    /** Uploads one file; returns it as stored, with its SHA-256. */
    public JobSucceeded.StoredFile upload(Path file, S3Uri target, String contentType) {
        return store.retrying("upload " + file + " to " + target, () -> {
            String sha256 = Sha256.hex(file);
            long size = Files.size(file);
            try (InputStream in = Files.newInputStream(file)) {
                store.put(target.bucket(), target.key(), in, size, contentType, Map.of("sha256", sha256));
            }
            return new JobSucceeded.StoredFile(file.getFileName().toString(), target.toString(), sha256, size);
        });
    }

    /** Uploads the regular files directly in {@code dir} under {@code prefix}, by name. */
    public List<JobSucceeded.StoredFile> uploadDir(Path dir, String bucket, String prefix) {
        List<JobSucceeded.StoredFile> stored = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                stored.add(upload(f, new S3Uri(bucket, prefix + f.getFileName()), contentType(f)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return stored;
    }

    private static String contentType(Path f) {
        return f.getFileName().toString().endsWith(".json") ? "application/json" : "application/octet-stream";
    }
}
