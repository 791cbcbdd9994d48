package io.peftflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DJL unpacks its native libraries into {@code DJL_CACHE_DIR} and maps them: in every container of an image that sets
 * it, the directory must be on a writable mount that allows code — a Kubernetes emptyDir, ephemeral volume or claim;
 * a compose volume or bind mount, or a tmpfs with {@code exec} (Docker mounts tmpfs {@code noexec}). On a
 * {@code noexec} mount the engine does not load (trainer-service's README, "Worker health").
 */
class DjlCacheMountTest {
    private static final Pattern IMAGE_CACHE_DIR = Pattern.compile("(?m)^ENV DJL_CACHE_DIR=(\\S+)");
    private static final Set<String> K8S_EXEC_VOLUMES = Set.of("emptyDir", "ephemeral", "persistentVolumeClaim");

    @Test
    void everyDjlCacheIsOnAMountThatAllowsCode() {
        List<Container> all = Stream.concat(Repository.overlays().stream().flatMap(o -> Container.inOverlay(o).stream()),
                Container.inCompose().stream()).toList();
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Container c : all) {
            Optional<String> dir = cacheDir(c);
            if (dir.isPresent()) {
                checked++;
                if (!filledByImage(c)) {
                    problem(c, dir.get()).ifPresent(problems::add);
                }
            }
        }
        assertEquals(List.of(), problems);
        // dataset-service and trainer-service (api and worker) in two overlays and compose, the GPU worker twice.
        assertTrue(checked >= 9, checked + " containers checked");
    }

    /**
     * A CUDA-flavoured image (PYTORCH_FLAVOR=cu...) has NativeLibraries copy libtorch into PYTORCH_LIBRARY_PATH at build
     * time, with a libcuda on the loader's path for that step: DJL unpacks a CUDA bundle itself only where it sees a GPU,
     * which a build has not, and tries to download one instead (offline: "Failed to save pytorch index file").
     */
    @Test
    void cudaImagesCopyLibTorchWhenBuilt() {
        Pattern run = Pattern.compile("(?m)^RUN LD_LIBRARY_PATH=(\\S+) java [^\\n]*(?:\\\\\\n[^\\n]*)*io\\.peftflow\\.core\\.device\\.NativeLibraries");
        int checked = 0;
        for (Path file : Repository.dockerfiles()) {
            String text = Repository.read(Repository.ROOT.relativize(file).toString());
            if (!Pattern.compile("(?m)^ENV .*\\bPYTORCH_FLAVOR=cu").matcher(text).find()) {
                continue;
            }
            checked++;
            Matcher path = Pattern.compile("(?m)^ENV .*\\bPYTORCH_LIBRARY_PATH=/").matcher(text);
            Matcher step = run.matcher(text);
            assertTrue(path.find() && step.find() && path.start() < step.start(), file + ": PYTORCH_LIBRARY_PATH set before NativeLibraries runs");
            assertTrue(text.contains(" " + step.group(1).replaceAll("/$", "") + "/libcuda.so.1\n"), file + ": a libcuda.so.1 in " + step.group(1));
        }
        assertTrue(checked >= 2, "the trainer's and inference-service's GPU images");
    }

    @Test
    void aNoexecOrMissingCacheMountFails() {
        String dir = "/var/cache/peftflow/djl";
        assertTrue(problem(compose("{\"tmpfs\": [\"/var/cache/peftflow:size=1g\"]}"), dir).orElseThrow().contains("noexec"));
        assertTrue(problem(compose("{\"volumes\": [{\"type\": \"tmpfs\", \"target\": \"/var/cache\"}]}"), dir).isPresent());
        assertTrue(problem(compose("{\"volumes\": [\"cache:/var/cache/peftflow:ro\"]}"), dir).orElseThrow().contains("read-only"));
        assertTrue(problem(compose("{}"), dir).orElseThrow().contains("no volume"));
        assertFalse(problem(compose("{\"tmpfs\": [\"/var/cache/peftflow:exec,size=1g\"]}"), dir).isPresent());
        assertFalse(problem(compose("{\"volumes\": [\"/var/cache/peftflow\"]}"), dir).isPresent());

        String mount = "{\"volumeMounts\": [{\"name\": \"c\", \"mountPath\": \"/var/cache/peftflow\"}]}";
        assertTrue(problem(pod(mount, "{\"name\": \"c\", \"hostPath\": {\"path\": \"/mnt\"}}"), dir).orElseThrow()
                .contains("hostPath"));
        assertTrue(problem(pod("{}", "{\"name\": \"c\", \"emptyDir\": {}}"), dir).orElseThrow().contains("no volume"));
        assertFalse(problem(pod(mount, "{\"name\": \"c\", \"emptyDir\": {\"medium\": \"Memory\"}}"), dir).isPresent());
    }

    /**
     * The image's own cache, filled at build time (its Dockerfile runs NativeLibraries) and not moved by the container:
     * nothing is unpacked at run time, so the read-only root file system holds it.
     */
    private static boolean filledByImage(Container c) {
        return c.env().get("DJL_CACHE_DIR") == null && dockerfile(c).map(Repository::read)
                .map(text -> text.contains("io.peftflow.core.device.NativeLibraries")).orElse(false);
    }

    private static Optional<String> dockerfile(Container c) {
        if (c.module().isEmpty()) {
            return Optional.empty();
        }
        Path file = Repository.ROOT.resolve(c.module().get() + "/src/main/docker/Dockerfile."
                + (c.image().endsWith("-gpu") ? "gpu" : "jvm"));
        return Files.exists(file) ? Optional.of(Repository.ROOT.relativize(file).toString()) : Optional.empty();
    }

    /** The container's DJL cache directory: its DJL_CACHE_DIR, else its image's (from the module's Dockerfile). */
    private static Optional<String> cacheDir(Container c) {
        if (c.env().get("DJL_CACHE_DIR") != null) {
            return Optional.of(c.env().get("DJL_CACHE_DIR"));
        }
        return dockerfile(c).map(Repository::read).map(IMAGE_CACHE_DIR::matcher)
                .flatMap(m -> m.find() ? Optional.of(m.group(1)) : Optional.empty());
    }

    /** What is wrong with the mount {@code dir} lies on in container {@code c}, if anything. */
    static Optional<String> problem(Container c, String dir) {
        return c.where().equals("compose") ? composeProblem(c, dir) : k8sProblem(c, dir);
    }

    private static Optional<String> k8sProblem(Container c, String dir) {
        JsonNode mount = null;
        for (JsonNode m : c.spec().path("volumeMounts")) {
            if (covers(m.path("mountPath").asText(), dir)
                    && (mount == null || m.path("mountPath").asText().length() > mount.path("mountPath").asText().length())) {
                mount = m;
            }
        }
        if (mount == null) {
            return Optional.of(c + ": DJL cache " + dir + " is on no volume (the root filesystem is read-only)");
        }
        if (mount.path("readOnly").asBoolean()) {
            return Optional.of(c + ": DJL cache " + dir + " is on a read-only mount");
        }
        String name = mount.path("name").asText();
        for (JsonNode v : c.pod().path("volumes")) {
            if (v.path("name").asText().equals(name)) {
                List<String> types = new ArrayList<>();
                v.fieldNames().forEachRemaining(types::add);
                types.remove("name");
                return types.stream().anyMatch(K8S_EXEC_VOLUMES::contains) ? Optional.empty()
                        : Optional.of(c + ": DJL cache " + dir + " is on a " + types + " volume; use one of "
                        + K8S_EXEC_VOLUMES + " (it must allow mapping code)");
            }
        }
        return Optional.of(c + ": volume " + name + " is not declared");
    }

    private static Optional<String> composeProblem(Container c, String dir) {
        String target = null;
        Optional<String> problem = Optional.of(c + ": DJL cache " + dir + " is on no volume");
        for (JsonNode t : c.spec().path("tmpfs")) {
            String[] parts = t.asText().split(":", 2);
            if (covers(parts[0], dir) && (target == null || parts[0].length() > target.length())) {
                target = parts[0];
                problem = parts.length > 1 && List.of(parts[1].split(",")).contains("exec") ? Optional.empty()
                        : Optional.of(c + ": DJL cache " + dir + " is on tmpfs " + parts[0]
                        + " without the exec option (Docker mounts tmpfs noexec)");
            }
        }
        for (JsonNode v : c.spec().path("volumes")) {
            String path;
            boolean readOnly;
            boolean tmpfs = false;
            if (v.isTextual()) {
                String[] parts = v.asText().split(":");
                path = parts.length == 1 ? parts[0] : parts[1];
                readOnly = parts.length > 2 && List.of(parts[2].split(",")).contains("ro");
            } else {
                path = v.path("target").asText();
                readOnly = v.path("read_only").asBoolean();
                tmpfs = v.path("type").asText().equals("tmpfs");
            }
            if (covers(path, dir) && (target == null || path.length() > target.length())) {
                target = path;
                problem = readOnly ? Optional.of(c + ": DJL cache " + dir + " is on a read-only mount")
                        : tmpfs ? Optional.of(c + ": DJL cache " + dir + " is on a tmpfs volume, which Docker mounts "
                        + "noexec; use `tmpfs: [" + path + ":exec]` or a volume")
                        : Optional.empty();
            }
        }
        return problem;
    }

    private static boolean covers(String mountPath, String dir) {
        return Path.of(dir).normalize().startsWith(Path.of(mountPath).normalize());
    }

    private static Container compose(String service) {
        return new Container("compose", "service/test", "peftflow/trainer-service:0", Map.of(), json(service), null);
    }

    private static Container pod(String container, String volume) {
        return new Container("local", "Deployment/test", "peftflow/trainer-service:0", Map.of(), json(container),
                json("{\"volumes\": [" + volume + "]}"));
    }

    private static JsonNode json(String text) {
        try {
            return Repository.YAML.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
