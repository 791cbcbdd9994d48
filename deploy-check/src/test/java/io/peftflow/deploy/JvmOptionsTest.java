package io.peftflow.deploy;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Every way a service JVM is launched ends the process on an {@code OutOfMemoryError}: a JVM that survives one in a
 * worker thread keeps its pod — and its GPU — while doing nothing. The images' JVM options, the options a manifest
 * may set instead, and {@code ./peftflow}'s service start all carry {@value #FLAG}.
 */
class JvmOptionsTest {
    static final String FLAG = "-XX:+ExitOnOutOfMemoryError";
    private static final List<String> OPTION_VARIABLES = List.of("JAVA_OPTS", "JAVA_OPTS_APPEND", "JAVA_TOOL_OPTIONS",
            "JDK_JAVA_OPTIONS");

    @Test
    void everyImageExitsOnOutOfMemory() {
        List<String> missing = new ArrayList<>();
        List<Path> dockerfiles = Repository.dockerfiles();
        assertFalse(dockerfiles.isEmpty());
        for (Path dockerfile : dockerfiles) {
            List<String> options = Repository.read(Repository.ROOT.relativize(dockerfile).toString()).lines()
                    .filter(l -> OPTION_VARIABLES.stream().anyMatch(v -> l.startsWith("ENV " + v + "="))).toList();
            if (options.isEmpty() || options.stream().noneMatch(l -> l.contains(FLAG))) {
                missing.add(Repository.ROOT.relativize(dockerfile) + ": " + options);
            }
        }
        assertEquals(List.of(), missing, "Dockerfiles whose JVM options lack " + FLAG);
    }

    @Test
    void noManifestReplacesTheOptionsWithoutIt() {
        List<String> missing = new ArrayList<>();
        Stream.concat(Repository.overlays().stream().flatMap(o -> Container.inOverlay(o).stream()),
                Container.inCompose().stream()).filter(c -> c.module().isPresent()).forEach(c ->
                OPTION_VARIABLES.forEach(v -> {
                    String value = c.env().get(v);
                    if (value != null && !value.contains(FLAG)) {
                        missing.add(c + " sets " + v + "=" + value);
                    }
                }));
        assertEquals(List.of(), missing);
    }

    @Test
    void peftflowStartsServicesWithIt() {
        List<String> starts = Repository.read("peftflow").lines()
                .filter(l -> l.contains("java ") && l.contains("nohup")).toList();
        assertFalse(starts.isEmpty(), "./peftflow starts the services with nohup java");
        assertEquals(List.of(), starts.stream().filter(l -> !l.contains(FLAG)).toList());
    }
}
