package io.peftflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * KEDA's resources against the TypeScript declarations of npm @kubernetes-models/keda (crd-models/keda, see its
 * SOURCE.md), generated from KEDA's Go API types. Each declared interface is an object schema: a field it does not
 * declare, a missing required field (declared without {@code ?}) or a value of another type is a problem. Kubernetes
 * types inside (the Job template, ObjectMeta) go to {@link KubernetesSchemas}.
 */
final class KedaSchemas {
    static final String GROUP = "keda.sh";

    private static final String MAP_OF_STRINGS = "{[key: string]: string}";
    private static final Pattern INTERFACE = Pattern.compile("^export interface (I\\w+)(?: extends \\w+)? \\{$");
    private static final Pattern FIELD = Pattern.compile("^ {4}\"([^\"]+)\"(\\??): (.+?);?$");
    private static final Pattern ALIAS = Pattern.compile("(I\\w+) as (I\\w+)");
    private static final Pattern TYPE_ALIAS = Pattern.compile("^export type (I\\w+) = (\\w+);$");
    private static final Pattern K8S_MODEL = Pattern.compile("^IIoK8s\\w*?(V\\d+(?:alpha\\d+|beta\\d+)?)([A-Z]\\w*)$");

    private record Field(String type, boolean required) {
    }

    private static final Map<String, Map<String, Field>> INTERFACES = new HashMap<>();
    private static final Map<String, String> ALIASES = new HashMap<>();

    static {
        try (Stream<Path> files = Files.list(Path.of(KedaSchemas.class.getResource("/crd-models/keda").toURI()))) {
            files.filter(f -> f.toString().endsWith(".d.ts")).forEach(KedaSchemas::parse);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private KedaSchemas() {
    }

    static List<String> problems(JsonNode doc) {
        if (!doc.path("apiVersion").asText().equals("keda.sh/v1alpha1")) {
            return List.of("apiVersion " + doc.path("apiVersion").asText() + " is not keda.sh/v1alpha1");
        }
        String type = "I" + doc.path("kind").asText();
        if (!INTERFACES.containsKey(type)) {
            return List.of("no kind " + doc.path("kind").asText() + " in KEDA's keda.sh/v1alpha1");
        }
        List<String> found = new ArrayList<>();
        check(doc, type, "", found);
        return found;
    }

    private static void check(JsonNode value, String type, String path, List<String> found) {
        String where = path.isEmpty() ? "" : path + ": ";
        if (type.startsWith("Array<")) {
            if (!value.isArray()) {
                found.add(where + "expected a list");
                return;
            }
            String item = type.substring(6, type.length() - 1);
            for (int i = 0; i < value.size(); i++) {
                check(value.get(i), item, path + "[" + i + "]", found);
            }
            return;
        }
        switch (type) {
            case "string" -> expect(value.isTextual(), where + "expected a string", found);
            case "number" -> expect(value.isNumber(), where + "expected a number", found);
            case "boolean" -> expect(value.isBoolean(), where + "expected a boolean", found);
            case MAP_OF_STRINGS -> {
                expect(value.isObject(), where + "expected a map", found);
                value.properties().forEach(e -> expect(e.getValue().isTextual(),
                        path + "." + e.getKey() + ": expected a string", found));
            }
            default -> checkNamed(value, type, path, found);
        }
    }

    private static void checkNamed(JsonNode value, String type, String path, List<String> found) {
        if (type.startsWith("\"")) { // a union of string literals
            Set<String> allowed = Set.of(type.replace("\"", "").split(" \\| "));
            expect(allowed.contains(value.asText()), path + ": expected one of " + allowed, found);
            return;
        }
        Matcher k8s = K8S_MODEL.matcher(type);
        if (k8s.matches()) {
            String model = k8s.group(1) + k8s.group(2);
            if (model.equals("V1Time")) {
                expect(value.isTextual(), path + ": expected a timestamp", found);
            } else {
                KubernetesSchemas.model(model, value).forEach(p -> found.add(path + ": " + p));
            }
            return;
        }
        String resolved = ALIASES.getOrDefault(type, type);
        Map<String, Field> fields = INTERFACES.get(resolved);
        if (fields == null) {
            if (resolved.equals(type)) {
                found.add(path + ": deploy-check cannot read KEDA's type " + type);
            } else {
                check(value, resolved, path, found); // an alias, e.g. of a primitive
            }
            return;
        }
        if (!value.isObject()) {
            found.add(path + ": expected an object");
            return;
        }
        String prefix = path.isEmpty() ? "" : path + ".";
        value.properties().forEach(e -> {
            Field field = fields.get(e.getKey());
            if (field == null) {
                found.add(prefix + e.getKey() + ": unknown field (not in KEDA's " + resolved.substring(1) + ")");
            } else {
                check(e.getValue(), field.type(), prefix + e.getKey(), found);
            }
        });
        fields.forEach((name, field) -> expect(!field.required() || value.has(name),
                prefix + name + ": required by KEDA's " + resolved.substring(1), found));
    }

    private static void expect(boolean ok, String problem, List<String> found) {
        if (!ok) {
            found.add(problem);
        }
    }

    /** Reads the interfaces and type aliases of one generated declaration file. */
    private static void parse(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Field> fields = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher m;
            if ((m = INTERFACE.matcher(line)).matches()) {
                fields = new LinkedHashMap<>();
                INTERFACES.put(m.group(1), fields);
            } else if (fields != null && line.equals("}")) {
                fields = null;
            } else if (fields != null && (m = FIELD.matcher(line)).matches()) {
                String type = m.group(3);
                if (type.equals("{")) { // an inline map: { [key: string]: string; }
                    StringBuilder inline = new StringBuilder("{");
                    while (!lines.get(++i).strip().startsWith("}")) {
                        inline.append(lines.get(i).strip().replace(";", ""));
                    }
                    type = inline.append("}").toString();
                }
                fields.put(m.group(1), new Field(type, m.group(2).isEmpty()));
            } else if (line.startsWith("export type {")) {
                Matcher alias = ALIAS.matcher(line);
                while (alias.find()) {
                    ALIASES.put(alias.group(2), alias.group(1));
                }
            } else if ((m = TYPE_ALIAS.matcher(line)).matches()) {
                ALIASES.put(m.group(1), m.group(2));
            }
        }
    }
}
