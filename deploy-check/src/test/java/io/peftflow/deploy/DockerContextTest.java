package io.peftflow.deploy;

import org.junit.jupiter.api.Test;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every file a module's Dockerfile copies from the build context (the repository root) is sent by .dockerignore: the
 * file sends only what the images copy, and a source it drops fails only at `docker build` — which no test here runs
 * for the GPU images.
 */
class DockerContextTest {
    /** COPY [--chown=..] SRC... DEST, without --from (those copy from a build stage, not the context). */
    private static final Pattern COPY = Pattern.compile("(?m)^COPY (?!.*--from=)(?:--\\S+ )*(.+) \\S+$");

    @Test
    void everyCopiedSourceIsInTheBuildContext() {
        List<String> rules = rules();
        List<String> dropped = new ArrayList<>();
        int copied = 0;
        for (Path dockerfile : Repository.dockerfiles()) {
            Matcher copy = COPY.matcher(Repository.read(Repository.ROOT.relativize(dockerfile).toString()));
            while (copy.find()) {
                for (String source : copy.group(1).trim().split("\\s+")) {
                    copied++;
                    // A file inside the source (a directory, or a glob's match) must be sent too.
                    String file = source.replace("*", "x").replaceAll("/$", "") + "/x";
                    if (ignored(rules, source.replace("*", "x").replaceAll("/$", "")) || ignored(rules, file)) {
                        dropped.add(Repository.ROOT.relativize(dockerfile) + ": " + source);
                    }
                }
            }
        }
        assertEquals(List.of(), dropped, ".dockerignore drops what these copy");
        assertTrue(copied >= 15, copied + " sources");
    }

    @Test
    void theMatcherFollowsDockersRules() {
        List<String> rules = List.of("*/src", "*/target/*", "!*/target/quarkus-app", "!a/src/keep");
        assertTrue(ignored(rules, "a/src/main/x"));
        assertTrue(ignored(rules, "a/target/classes/x"));
        assertFalse(ignored(rules, "a/target/quarkus-app/lib/x"));
        assertFalse(ignored(rules, "a/src/keep/x"));
        assertFalse(ignored(rules, "docker/entrypoint.sh"));
    }

    private static List<String> rules() {
        return Repository.read(".dockerignore").lines().map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    /**
     * Docker's rule: the last pattern that matches the path or one of its parent directories decides, and a leading
     * `!` re-includes; `*` does not cross a `/` (Go's filepath.Match, as Java's glob).
     */
    static boolean ignored(List<String> rules, String path) {
        boolean ignored = false;
        for (String rule : rules) {
            boolean include = rule.startsWith("!");
            var matcher = FileSystems.getDefault().getPathMatcher("glob:" + (include ? rule.substring(1) : rule));
            for (Path p = Path.of(path); p != null; p = p.getParent()) {
                if (matcher.matches(p)) {
                    ignored = !include;
                    break;
                }
            }
        }
        return ignored;
    }
}
