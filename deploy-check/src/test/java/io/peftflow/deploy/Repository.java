package io.peftflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.Matcher;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The repository's deployment files, rendered the way users apply them: kustomize overlays and docker-compose. */
final class Repository {
    static final Path ROOT = findRoot();
    static final YAMLMapper YAML = new YAMLMapper();

    private static final Map<String, List<JsonNode>> RENDERED = new ConcurrentHashMap<>();

    private Repository() {
    }

    /** The overlays under k8s/overlays, each one a `kubectl apply -k` target. */
    static List<String> overlays() {
        try (Stream<Path> dirs = Files.list(ROOT.resolve("k8s/overlays"))) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** `kubectl kustomize k8s/overlays/<overlay>`, one node per document (rendered once per JVM, like compose's). */
    static List<JsonNode> rendered(String overlay) {
        return RENDERED.computeIfAbsent(overlay, o -> {
            // The local overlay's Secrets are generated on the machine that applies it, as a user does first.
            run("bash", ROOT.resolve("scripts/k8s-local-secrets.sh").toString());
            return parseAll(run("kubectl", "kustomize", ROOT.resolve("k8s/overlays/" + o).toString()));
        });
    }

    /** The modules' src/main/docker/Dockerfile.* files, each built from the repository root. */
    static List<Path> dockerfiles() {
        try (Stream<Path> modules = Files.list(ROOT)) {
            return modules.map(m -> m.resolve("src/main/docker")).filter(Files::isDirectory).flatMap(d -> {
                try (Stream<Path> files = Files.list(d)) {
                    return files.filter(f -> f.getFileName().toString().startsWith("Dockerfile")).toList().stream();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** docker-compose.yml as docker-compose resolves it (anchors merged, env files read, profiles included). */
    static JsonNode composeConfig() {
        return RENDERED.computeIfAbsent("docker-compose.yml", f -> parseAll(runIn(ROOT, COMPOSE_SECRETS,
                "docker-compose", "-f", ROOT.resolve(f).toString(), "config"))).get(0);
    }

    /**
     * The secrets docker-compose.yml requires, as placeholders for `config`: the names scripts/compose-secrets.sh
     * generates (its NAMES array).
     */
    static final Map<String, String> COMPOSE_SECRETS = composeSecretNames();

    private static Map<String, String> composeSecretNames() {
        Matcher names = Pattern.compile("NAMES=\\(([^)]*)\\)").matcher(read("scripts/compose-secrets.sh"));
        if (!names.find()) {
            throw new IllegalStateException("no NAMES=(...) in scripts/compose-secrets.sh");
        }
        Map<String, String> placeholders = new TreeMap<>();
        for (String name : names.group(1).trim().split("\\s+")) {
            placeholders.put(name, "deploy-check-placeholder");
        }
        return placeholders;
    }

    static List<JsonNode> parseAll(String yaml) {
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            List<JsonNode> out = new ArrayList<>();
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    out.add(doc);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(String relativePath) {
        try {
            return Files.readString(ROOT.resolve(relativePath));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a command in the repository root; its stdout, or an AssertionError with its stderr. */
    static String run(String... command) {
        return runIn(ROOT, command);
    }

    static String runIn(Path dir, String... command) {
        return runIn(dir, Map.of(), command);
    }

    static String runIn(Path dir, Map<String, String> env, String... command) {
        try {
            Path err = Files.createTempFile("deploy-check", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectError(err.toFile());
                builder.environment().putAll(env);
                Process p = builder.start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError(String.join(" ", command) + " timed out");
                }
                if (p.exitValue() != 0) {
                    throw new CommandFailed(String.join(" ", command) + " failed (exit " + p.exitValue() + "): "
                            + Files.readString(err).strip());
                }
                return out;
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A command that ran and said no (as opposed to one that could not run). */
    static final class CommandFailed extends AssertionError {
        CommandFailed(String message) {
            super(message);
        }
    }

    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("k8s/overlays"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no k8s/overlays above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
