package io.peftflow.inference.runtime;

import io.peftflow.core.checkpoint.Json;
import io.peftflow.core.scoring.LabelSet;
import io.peftflow.core.tuners.AdapterFiles;
import io.peftflow.data.Sha256;
import io.peftflow.events.contract.S3Uri;
import io.peftflow.inference.InferenceConfig;
import io.peftflow.inference.registry.ServedStack;
import io.peftflow.inference.registry.ServedVersion;
import io.peftflow.kit.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Local copies of what is served: base models from the models bucket (a directory per content, as workers keep
 * them) and each adapter version's files from the registry's storage, checked against the SHA-256 the registry
 * lists. Only reads S3.
 */
@ApplicationScoped
public class ModelFiles {
    /** The files an adapter version needs to be served; the rest (metrics) stays in S3. */
    private static final List<String> SERVED = List.of(AdapterFiles.CONFIG, AdapterFiles.WEIGHTS, "manifest.json");

    /** An adapter version on local disk with what its manifest says about serving it. */
    public record StagedAdapter(ServedVersion version, Path dir, LabelSet labels, long bytes) {
    }

    /** A stack's layers on local disk, in order; the top layer's labels and template are the stack's. */
    public record StagedStack(ServedStack version, List<StagedAdapter> layers) {
        public StagedStack {
            layers = List.copyOf(layers);
        }

        public String key() {
            return version.key();
        }

        public LabelSet labels() {
            return layers.get(layers.size() - 1).labels();
        }

        public long bytes() {
            return layers.stream().mapToLong(StagedAdapter::bytes).sum();
        }
    }

    private final ObjectStore store;
    private final InferenceConfig config;
    private final Path cache;

    public ModelFiles(ObjectStore store, InferenceConfig config) {
        this.store = store;
        this.config = config;
        this.cache = config.cacheDir().orElse(Path.of(System.getProperty("java.io.tmpdir"), "peftflow-inference"));
    }

    /** The base model's checkpoint directory, downloaded unless this content is cached already. */
    public Path baseModel(String name) {
        String prefix = name + "/";
        List<ObjectStore.Listed> objects = store.list(config.modelsBucket(), prefix);
        if (objects.stream().noneMatch(o -> o.key().equals(prefix + "config.json"))) {
            throw new IllegalStateException("no base model '" + name + "' in s3://" + config.modelsBucket() + "/");
        }
        StringBuilder content = new StringBuilder();
        objects.forEach(o -> content.append(o.key()).append(' ').append(o.size()).append(' ').append(o.etag()).append('\n'));
        Path dir = cache.resolve("models").resolve(Sha256.hex(content.toString()));
        if (Files.isDirectory(dir)) {
            return dir;
        }
        Path part = staging(dir);
        for (ObjectStore.Listed o : objects) {
            copy(config.modelsBucket(), o.key(), part.resolve(o.key().substring(prefix.length())), null);
        }
        return publish(part, dir);
    }

    /** The version's adapter files and manifest, downloaded once per version. */
    public StagedAdapter adapter(ServedVersion v) {
        Path dir = cache.resolve("adapters").resolve(v.tenant()).resolve(v.adapter()).resolve("v" + v.version());
        if (!Files.isDirectory(dir)) {
            Path part = staging(dir);
            for (String name : SERVED) {
                ServedVersion.StoredFile f = v.files().stream().filter(x -> x.name().equals(name)).findFirst()
                        .orElseThrow(() -> new IllegalStateException(v.key() + " has no " + name + " in the registry"));
                S3Uri uri = S3Uri.parse(f.uri());
                copy(uri.bucket(), uri.key(), part.resolve(name), f.sha256());
            }
            dir = publish(part, dir);
        }
        try {
            LabelSet labels = LabelSet.fromManifest(Json.read(dir.resolve("manifest.json"))).orElseThrow(() ->
                    new IllegalStateException(v.key() + " was trained before manifests recorded the prompt template"
                            + " and labels; retrain it to serve it"));
            return new StagedAdapter(v, dir, labels, Files.size(dir.resolve(AdapterFiles.WEIGHTS)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void copy(String bucket, String key, Path target, String sha256) {
        try (InputStream in = store.get(bucket, key)) {
            Files.createDirectories(target.getParent());
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            if (sha256 != null && !sha256.equals(Sha256.hex(target))) {
                throw new IllegalStateException("s3://" + bucket + "/" + key + " does not match the SHA-256 the"
                        + " registry lists");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy s3://" + bucket + "/" + key + " to " + target, e);
        }
    }

    private static Path staging(Path dir) {
        Path part = dir.resolveSibling(dir.getFileName() + ".part-" + Thread.currentThread().getId());
        delete(part);
        return part;
    }

    /** Moves a complete download into place; a concurrent download of the same content may have won. */
    private static Path publish(Path part, Path dir) {
        try {
            Files.move(part, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (!Files.isDirectory(dir)) {
                throw new UncheckedIOException("cannot cache " + dir, e);
            }
            delete(part);
        }
        return dir;
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
