package io.peftflow.trainer.models;

import io.peftflow.core.manifest.RunManifest;
import io.peftflow.core.tiny.TinyModel;
import io.peftflow.data.Sha256;
import io.peftflow.events.contract.BaseModelId;
import io.peftflow.kit.storage.ObjectStore;
import io.peftflow.trainer.TrainerConfig;
import io.peftflow.events.contract.S3Uri;
import io.peftflow.trainer.storage.Transfers;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Base models live in S3 as Hugging Face checkpoint directories, {@code s3://peftflow-models/<name>/}. Workers keep
 * a local copy per content (the objects' names, sizes and ETags), so a re-uploaded model is fetched again and an
 * unchanged one never is.
 */
@ApplicationScoped
public class BaseModels {
    private final ObjectStore store;
    private final Transfers transfers;
    private final TrainerConfig config;
    private final Path cache;

    public BaseModels(ObjectStore store, Transfers transfers, TrainerConfig config) {
        this.store = store;
        this.transfers = transfers;
        this.config = config;
        this.cache = config.workDir().orElse(Path.of(System.getProperty("java.io.tmpdir"), "peftflow-trainer"))
                .resolve("models");
    }

    /** Whether the bucket holds the model (its {@code config.json}). */
    public boolean exists(String name) {
        return BaseModelId.valid(name) && store.stat(config.modelsBucket(), name + "/config.json").isPresent();
    }

    /** The model's {@code config.json} on local disk (for the planner), fetched once per ETag. */
    public Path configJson(String name) {
        String key = name + "/config.json";
        String etag = store.stat(config.modelsBucket(), key).orElseThrow(() ->
                new IllegalArgumentException("no base model '" + name + "'")).etag();
        Path file = cache.resolve("config").resolve(Sha256.hex(name + "\n" + etag)).resolve("config.json");
        if (!Files.isRegularFile(file)) {
            transfers.download(new S3Uri(config.modelsBucket(), key), file, null);
        }
        return file;
    }

    /** The whole checkpoint directory on local disk, downloaded unless this content is cached already. */
    public Path localDir(String name) {
        String prefix = name + "/";
        List<ObjectStore.Listed> objects = store.retrying("list " + ObjectStore.uri(config.modelsBucket(), prefix),
                () -> store.list(config.modelsBucket(), prefix));
        if (objects.stream().noneMatch(o -> o.key().equals(prefix + "config.json"))) {
            throw new IllegalArgumentException("no base model '" + name + "' in s3://" + config.modelsBucket() + "/");
        }
        StringBuilder content = new StringBuilder();
        objects.forEach(o -> content.append(o.key()).append(' ').append(o.size()).append(' ').append(o.etag()).append('\n'));
        Path dir = cache.resolve("content").resolve(Sha256.hex(content.toString()));
        if (Files.isDirectory(dir)) {
            return dir;
        }
        Path part = dir.resolveSibling(dir.getFileName() + ".part-" + ProcessHandle.current().pid());
        try {
            transfers.downloadAll(config.modelsBucket(), prefix, part);
            Files.move(part, dir);
        } catch (IOException e) {
            if (!Files.isDirectory(dir)) {
                throw new UncheckedIOException("cannot cache base model " + name + " in " + dir, e);
            }
            // another worker on this disk cached it first
        }
        return dir;
    }

    /** The SHA-256 that lineage records for a model's weights (one hash over its *.safetensors, by name). */
    public static String weightsSha256(Path modelDir) {
        return RunManifest.sha256Files(modelDir, ".safetensors");
    }

    /**
     * Uploads the embedded tiny model as {@code name} unless the bucket holds every file of it. A model missing any
     * (a stack whose older tests stored only a {@code config.json}, an upload cut short) is uploaded whole: nothing
     * could load it, and workers and inference-service would wait for it forever.
     */
    public void registerTiny(String name) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("tiny-model");
            TinyModel.write(dir);
            String prefix = name + "/";
            Set<String> stored = store.list(config.modelsBucket(), prefix).stream().map(ObjectStore.Listed::key)
                    .collect(Collectors.toSet());
            try (Stream<Path> files = Files.list(dir)) {
                if (files.allMatch(f -> stored.contains(prefix + f.getFileName()))) {
                    return;
                }
            }
            transfers.uploadDir(dir, config.modelsBucket(), prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the embedded tiny model", e);
        } finally {
            deleteTree(dir);
        }
    }

    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }
}
