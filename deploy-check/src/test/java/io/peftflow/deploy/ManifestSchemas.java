package io.peftflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubernetes.client.custom.QuantityFormatException;
import io.kubernetes.client.custom.QuantityFormatter;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Picks the schema a rendered document is checked against, by its API group. */
final class ManifestSchemas {
    private ManifestSchemas() {
    }

    /** What is wrong with one document ("Kind/name: ..."); empty when it is valid. */
    static List<String> problems(JsonNode doc) {
        String apiVersion = doc.path("apiVersion").asText();
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        List<String> found = new ArrayList<>(switch (group) {
            case StrimziSchemas.GROUP -> StrimziSchemas.problems(doc);
            case "keda.sh" -> DeclaredModels.KEDA.problems(doc);
            case "monitoring.coreos.com" -> DeclaredModels.PROMETHEUS_OPERATOR.problems(doc);
            case CnpgSchemas.GROUP -> CnpgSchemas.problems(doc);
            default -> KubernetesSchemas.problems(doc);
        });
        quantities(doc, "", found);
        String name = doc.path("kind").asText() + "/" + doc.path("metadata").path("name").asText();
        return found.stream().map(p -> name + ": " + p).toList();
    }

    /** Keys whose values are Kubernetes quantities, which the schemas only see as strings or numbers. */
    private static final Set<String> QUANTITY_MAPS = Set.of("requests", "limits");
    private static final Set<String> QUANTITY_VALUES = Set.of("sizeLimit", "size");

    /** Every resource request, limit and size must parse as a quantity ("2Gi", "500m"; not "2GB"). */
    private static void quantities(JsonNode node, String path, List<String> found) {
        node.properties().forEach(e -> {
            String at = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            if (QUANTITY_MAPS.contains(e.getKey()) && e.getValue().isObject()) {
                e.getValue().properties().forEach(q -> quantity(q.getValue(), at + "." + q.getKey(), found));
            } else if (QUANTITY_VALUES.contains(e.getKey()) && e.getValue().isValueNode()) {
                quantity(e.getValue(), at, found);
            } else if (e.getValue().isContainerNode()) {
                if (e.getValue().isArray()) {
                    for (int i = 0; i < e.getValue().size(); i++) {
                        quantities(e.getValue().get(i), at + "[" + i + "]", found);
                    }
                } else {
                    quantities(e.getValue(), at, found);
                }
            }
        });
    }

    private static void quantity(JsonNode value, String path, List<String> found) {
        try {
            new QuantityFormatter().parse(value.asText());
        } catch (QuantityFormatException | NumberFormatException e) {
            found.add(path + ": " + value.asText() + " is not a Kubernetes quantity");
        }
    }
}
