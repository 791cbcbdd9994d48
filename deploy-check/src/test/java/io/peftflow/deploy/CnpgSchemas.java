package io.peftflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CloudNativePG's Cluster: WEAKER than the other checks. No registry reachable here (Maven Central, npm, Debian)
 * publishes CloudNativePG's CRD or a model of it, so these field names are transcribed by hand from the
 * CloudNativePG API reference (postgresql.cnpg.io/v1 ClusterSpec, 1.27): the names of ClusterSpec, and of the
 * nested objects peftflow uses (storage, inheritedMetadata, bootstrap.initdb, managed.roles). An unknown name there fails; the
 * nested objects not listed are not looked into; {@code resources} is Kubernetes' own ResourceRequirements.
 */
final class CnpgSchemas {
    static final String GROUP = "postgresql.cnpg.io";

    private static final Set<String> CLUSTER_SPEC = Set.of("description", "inheritedMetadata", "imageName",
            "imageCatalogRef", "imagePullPolicy", "schedulerName", "postgresUID", "postgresGID", "instances",
            "minSyncReplicas", "maxSyncReplicas", "postgresql", "replicationSlots", "bootstrap", "replica",
            "superuserSecret", "enableSuperuserAccess", "certificates", "imagePullSecrets", "storage",
            "serviceAccountTemplate", "walStorage", "ephemeralVolumeSource", "startDelay", "stopDelay",
            "smartShutdownTimeout", "switchoverDelay", "failoverDelay", "livenessProbeTimeout", "affinity",
            "topologySpreadConstraints", "resources", "ephemeralVolumesSizeLimit", "priorityClassName",
            "primaryUpdateStrategy", "primaryUpdateMethod", "backup", "nodeMaintenanceWindow", "monitoring",
            "externalClusters", "logLevel", "projectedVolumeTemplate", "env", "envFrom", "managed",
            "seccompProfile", "tablespaces", "enablePDB", "plugins", "probes", "podSecurityContext",
            "securityContext");

    /** The nested objects checked field by field: path below spec -> its field names. */
    private static final Map<String, Set<String>> NESTED = Map.of(
            "storage", Set.of("storageClass", "size", "resizeInUseVolumes", "pvcTemplate"),
            "inheritedMetadata", Set.of("labels", "annotations"),
            "bootstrap", Set.of("initdb", "recovery", "pg_basebackup"),
            "bootstrap.initdb", Set.of("database", "owner", "secret", "options", "dataChecksums", "encoding",
                    "localeCollate", "localeCType", "locale", "localeProvider", "icuLocale", "icuRules",
                    "builtinLocale", "walSegmentSize", "postInitSQL", "postInitApplicationSQL",
                    "postInitTemplateSQL", "postInitSQLRefs", "postInitApplicationSQLRefs",
                    "postInitTemplateSQLRefs", "import"),
            "bootstrap.initdb.secret", Set.of("name"),
            "managed", Set.of("roles", "services"));

    /** A managed role (RoleConfiguration), each element of spec.managed.roles. */
    private static final Set<String> ROLE = Set.of("name", "comment", "ensure", "passwordSecret", "connectionLimit",
            "validUntil", "inRoles", "inherit", "disablePassword", "superuser", "createdb", "createrole", "login",
            "replication", "bypassrls");

    private static final Set<String> ENUM_PRIMARY_UPDATE_STRATEGY = Set.of("unsupervised", "supervised");

    private CnpgSchemas() {
    }

    static List<String> problems(JsonNode doc) {
        if (!doc.path("apiVersion").asText().equals("postgresql.cnpg.io/v1") || !doc.path("kind").asText().equals("Cluster")) {
            return List.of("deploy-check knows only postgresql.cnpg.io/v1 Cluster of CloudNativePG");
        }
        List<String> found = new ArrayList<>();
        doc.fieldNames().forEachRemaining(f -> {
            if (!Set.of("apiVersion", "kind", "metadata", "spec").contains(f)) {
                found.add(f + ": unknown field (not in CloudNativePG's Cluster)");
            }
        });
        found.addAll(KubernetesSchemas.model("V1ObjectMeta", doc.path("metadata")));
        JsonNode spec = doc.path("spec");
        fields(spec, "spec", CLUSTER_SPEC, found);
        NESTED.forEach((path, names) -> {
            JsonNode node = spec;
            for (String part : path.split("\\.")) {
                node = node.path(part);
            }
            if (!node.isMissingNode()) {
                fields(node, "spec." + path, names, found);
            }
        });
        for (JsonNode role : spec.at("/managed/roles")) {
            fields(role, "spec.managed.roles[" + role.path("name").asText() + "]", ROLE, found);
            if (role.has("passwordSecret")) {
                fields(role.get("passwordSecret"), "spec.managed.roles[" + role.path("name").asText() + "].passwordSecret",
                        Set.of("name"), found);
            }
        }
        if (!spec.path("instances").canConvertToExactIntegral() || spec.path("instances").asInt() < 1) {
            found.add("spec.instances: required, an integer >= 1");
        }
        if (spec.has("primaryUpdateStrategy")
                && !ENUM_PRIMARY_UPDATE_STRATEGY.contains(spec.path("primaryUpdateStrategy").asText())) {
            found.add("spec.primaryUpdateStrategy: expected one of " + ENUM_PRIMARY_UPDATE_STRATEGY);
        }
        if (spec.has("resources")) {
            KubernetesSchemas.model("V1ResourceRequirements", spec.get("resources"))
                    .forEach(p -> found.add("spec.resources: " + p));
        }
        return found;
    }

    private static void fields(JsonNode node, String path, Set<String> names, List<String> found) {
        if (!node.isObject()) {
            found.add(path + ": expected an object");
            return;
        }
        node.fieldNames().forEachRemaining(f -> {
            if (!names.contains(f)) {
                found.add(path + "." + f + ": unknown field (not in CloudNativePG's " + path + ")");
            }
        });
    }
}
