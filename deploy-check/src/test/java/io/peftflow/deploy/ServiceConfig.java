package io.peftflow.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a service module reads from its configuration (its application.properties, plus service-kit's
 * microprofile-config.properties when it depends on service-kit) and so what a deployment must set for it.
 */
record ServiceConfig(String module, Map<String, String> properties, Map<String, String> profileOnly) {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::[^}]*)?}");
    private static final Pattern CREDENTIAL = Pattern.compile("(password|username|secret|secret-key|access-key|admin-key|api-key|token)$");
    private static final Pattern LOOPBACK = Pattern.compile("//(127\\.0\\.0\\.1|localhost)[:/]|^(127\\.0\\.0\\.1|localhost):");

    /** The Quarkus services: the modules with an application.properties and a Dockerfile. */
    static List<ServiceConfig> all() {
        try (Stream<Path> dirs = Files.list(Repository.ROOT)) {
            return dirs.filter(d -> Files.exists(d.resolve("src/main/resources/application.properties"))
                            && Files.exists(d.resolve("src/main/docker/Dockerfile.jvm")))
                    .map(d -> of(d.getFileName().toString())).sorted((a, b) -> a.module.compareTo(b.module)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ServiceConfig of(String module) {
        Map<String, String> all = new LinkedHashMap<>();
        if (usesServiceKit(Repository.read(module + "/pom.xml"))) {
            all.putAll(load("service-kit/src/main/resources/META-INF/microprofile-config.properties"));
        }
        all.putAll(load(module + "/src/main/resources/application.properties"));
        Map<String, String> plain = new LinkedHashMap<>();
        Map<String, String> profiled = new LinkedHashMap<>();
        all.forEach((k, v) -> (k.startsWith("%") ? profiled : plain).put(k, v));
        Map<String, String> profileOnly = new LinkedHashMap<>();
        profiled.forEach((k, v) -> {
            String key = k.substring(k.indexOf('.') + 1);
            if (!plain.containsKey(key)) {
                profileOnly.put(key, v);
            }
        });
        return new ServiceConfig(module, plain, profileOnly);
    }

    /** A dependency on service-kit's main jar (its test-jar alone, as the gateway's tests use, brings no settings). */
    private static boolean usesServiceKit(String pom) {
        Matcher dependency = Pattern.compile("(?s)<dependency>(.*?)</dependency>").matcher(pom);
        while (dependency.find()) {
            String d = dependency.group(1);
            if (d.contains("<artifactId>service-kit</artifactId>") && !d.contains("<type>test-jar</type>")) {
                return true;
            }
        }
        return false;
    }

    /** MicroProfile Config's environment variable for a property: upper case, every other character '_'. */
    static String envName(String property) {
        return property.toUpperCase().replaceAll("[^A-Z0-9]", "_");
    }

    int httpPort() {
        return Integer.parseInt(properties.getOrDefault("quarkus.http.port", "8080"));
    }

    /** The health paths Quarkus serves: /q/health/live and /q/health/ready unless the roots are moved. */
    String healthPath(String check) {
        String root = properties.getOrDefault("quarkus.http.non-application-root-path", "q");
        String health = properties.getOrDefault("quarkus.smallrye-health.root-path", "health");
        return ("/" + root + "/" + health + "/" + check).replaceAll("/+", "/");
    }

    List<String> buckets() {
        String list = properties.getOrDefault("peftflow.s3.buckets", "");
        return list.isBlank() ? List.of() : List.of(list.split("\\s*,\\s*"));
    }

    /**
     * The environment a deployment must provide, each entry a set of alternatives: every ${VAR} a property refers to
     * (or the property itself), every property that points at this machine (loopback) and every credential; also a
     * credential that only a test or dev profile sets (production must bring its own).
     */
    /** Whether the service has a database (inference-service has none: it turns JDBC off). */
    boolean usesDatabase() {
        return !"false".equals(properties.get("quarkus.datasource.jdbc"));
    }

    List<Set<String>> requiredEnv() {
        List<Set<String>> required = new ArrayList<>();
        properties.forEach((key, value) -> {
            if (!usesDatabase() && key.startsWith("quarkus.datasource.")) {
                return;
            }
            if (LOOPBACK.matcher(value).find()) {
                required.add(Set.of(envName(key)));
                return;
            }
            Set<String> alternatives = new LinkedHashSet<>();
            Matcher ref = REFERENCE.matcher(value);
            while (ref.find()) {
                alternatives.add(ref.group(1));
            }
            if (!alternatives.isEmpty() || CREDENTIAL.matcher(key).find()) {
                alternatives.add(envName(key));
                required.add(alternatives);
            }
        });
        profileOnly.keySet().stream().filter(k -> CREDENTIAL.matcher(k).find())
                .forEach(k -> required.add(Set.of(envName(k))));
        return required;
    }

    private static Map<String, String> load(String relativePath) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(Repository.read(relativePath)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        p.stringPropertyNames().stream().sorted().forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }
}
