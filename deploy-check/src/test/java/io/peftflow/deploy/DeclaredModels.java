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
 * Custom resources against the TypeScript declarations the npm packages {@code @kubernetes-models/*} generate from
 * the operators' Go API types ({@code crd-models/<dir>}, see each SOURCE.md): KEDA's {@code keda.sh/v1alpha1} and the
 * Prometheus Operator's {@code monitoring.coreos.com/v1}. Each declared interface is an object schema: a field it does
 * not declare, a missing required field (declared without {@code ?}) or a value of another type is a problem.
 * Kubernetes types inside (a Job template, ObjectMeta, a LabelSelector) go to {@link KubernetesSchemas}.
 */
final class DeclaredModels {
    private static final String MAP_OF_STRINGS = "{[key: string]: string}";
    private static final String INT_OR_STRING = "IIoK8sApimachineryPkgUtilIntstrIntOrString";
    private static final Pattern INTERFACE = Pattern.compile("^export interface (I\\w+)(?: extends \\w+)? \\{$");
    private static final Pattern FIELD = Pattern.compile("^ {4}\"([^\"]+)\"(\\??): (.+?);?$");
    private static final Pattern ALIAS = Pattern.compile("(I\\w+) as (I\\w+)");
    private static final Pattern TYPE_ALIAS = Pattern.compile("^export type (I\\w+) = (.+);$");
    private static final Pattern K8S_MODEL = Pattern.compile("^IIoK8s\\w*?(V\\d+(?:alpha\\d+|beta\\d+)?)([A-Z]\\w*)$");

    private record Field(String type, boolean required) {
    }

    // After the patterns: parsing the declarations uses them.
    static final DeclaredModels KEDA = new DeclaredModels("KEDA", "keda.sh", "keda.sh/v1alpha1", "keda");
    static final DeclaredModels PROMETHEUS_OPERATOR = new DeclaredModels("the Prometheus Operator",
            "monitoring.coreos.com", "monitoring.coreos.com/v1", "prometheus-operator");

    final String group;
    private final String vendor;
    private final String apiVersion;
    private final Map<String, Map<String, Field>> interfaces = new HashMap<>();
    private final Map<String, String> aliases = new HashMap<>();

    private DeclaredModels(String vendor, String group, String apiVersion, String dir) {
        this.vendor = vendor;
        this.group = group;
        this.apiVersion = apiVersion;
        try (Stream<Path> files = Files.list(Path.of(DeclaredModels.class.getResource("/crd-models/" + dir).toURI()))) {
            files.filter(f -> f.toString().endsWith(".d.ts")).forEach(this::parse);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    List<String> problems(JsonNode doc) {
        if (!doc.path("apiVersion").asText().equals(apiVersion)) {
            return List.of("apiVersion " + doc.path("apiVersion").asText() + " is not " + apiVersion);
        }
        String type = "I" + doc.path("kind").asText();
        if (!interfaces.containsKey(type)) {
            return List.of("no kind " + doc.path("kind").asText() + " in " + vendor + "'s " + apiVersion);
        }
        List<String> found = new ArrayList<>();
        check(doc, type, "", found);
        return found;
    }

    private void check(JsonNode value, String type, String path, List<String> found) {
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

    private void checkNamed(JsonNode value, String type, String path, List<String> found) {
        if (type.startsWith("\"")) { // a union of string literals
            Set<String> allowed = Set.of(type.replace("\"", "").split(" \\| "));
            expect(allowed.contains(value.asText()), path + ": expected one of " + allowed, found);
            return;
        }
        if (type.equals(INT_OR_STRING)) {
            expect(value.isTextual() || value.isInt(), path + ": expected a number or a string", found);
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
        String resolved = aliases.getOrDefault(type, type);
        Map<String, Field> fields = interfaces.get(resolved);
        if (fields == null) {
            if (resolved.equals(type)) {
                found.add(path + ": deploy-check cannot read " + vendor + "'s type " + type);
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
                found.add(prefix + e.getKey() + ": unknown field (not in " + vendor + "'s " + resolved.substring(1) + ")");
            } else {
                check(e.getValue(), field.type(), prefix + e.getKey(), found);
            }
        });
        fields.forEach((name, field) -> expect(!field.required() || value.has(name),
                prefix + name + ": required by " + vendor + "'s " + resolved.substring(1), found));
    }

    private static void expect(boolean ok, String problem, List<String> found) {
        if (!ok) {
            found.add(problem);
        }
    }

    /** Reads the interfaces and type aliases of one generated declaration file. */
    private void parse(Path file) {
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
                interfaces.put(m.group(1), fields);
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
                    aliases.put(alias.group(2), alias.group(1));
                }
            } else if ((m = TYPE_ALIAS.matcher(line)).matches()) {
                aliases.put(m.group(1), m.group(2));
            }
        }
    }
}
