package io.peftflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** Picks the schema a rendered document is checked against, by its API group. */
final class ManifestSchemas {
    private ManifestSchemas() {
    }

    /** What is wrong with one document ("Kind/name: ..."); empty when it is valid. */
    static List<String> problems(JsonNode doc) {
        String apiVersion = doc.path("apiVersion").asText();
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        List<String> found = switch (group) {
            case StrimziSchemas.GROUP -> StrimziSchemas.problems(doc);
            case KedaSchemas.GROUP -> KedaSchemas.problems(doc);
            case CnpgSchemas.GROUP -> CnpgSchemas.problems(doc);
            default -> KubernetesSchemas.problems(doc);
        };
        String name = doc.path("kind").asText() + "/" + doc.path("metadata").path("name").asText();
        return found.stream().map(p -> name + ": " + p).toList();
    }
}
