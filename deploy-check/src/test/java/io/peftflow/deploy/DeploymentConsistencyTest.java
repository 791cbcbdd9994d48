package io.peftflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The manifests against the services' own configuration: what each service reads is set in both k8s overlays and
 * docker-compose.yml, on the ports and health paths it serves, with the buckets, databases and topics it uses.
 */
class DeploymentConsistencyTest {
    private static final Map<String, ServiceConfig> SERVICES =
            ServiceConfig.all().stream().collect(Collectors.toMap(ServiceConfig::module, Function.identity()));

    private static final List<Container> EVERYWHERE = Container.everywhere();

    private static List<Container> everywhere() {
        return EVERYWHERE;
    }

    private static List<Container> ours() {
        return EVERYWHERE.stream().filter(c -> c.module().isPresent()).toList();
    }

    @Test
    void everyServiceRunsEverywhere() {
        assertEquals(Set.of("dataset-service", "gateway", "inference-service", "registry-service", "trainer-service"),
                SERVICES.keySet());
        for (String where : Stream.concat(Repository.overlays().stream(), Stream.of("compose")).toList()) {
            Set<String> deployed = ours().stream().filter(c -> c.where().equals(where))
                    .map(c -> c.module().orElseThrow()).collect(Collectors.toSet());
            assertEquals(SERVICES.keySet(), deployed, where + " deploys every service");
        }
    }

    @Test
    void everyVariableAServiceReadsIsSet() {
        List<String> missing = new ArrayList<>();
        for (Container c : ours()) {
            for (Set<String> anyOf : SERVICES.get(c.module().orElseThrow()).requiredEnv()) {
                if (anyOf.stream().noneMatch(c.env()::containsKey)) {
                    missing.add(c + " (" + c.module().orElseThrow() + ") sets none of " + anyOf);
                }
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void trainerContainersNameTheirRole() {
        for (Container c : ours()) {
            if (c.module().orElseThrow().equals("trainer-service")) {
                String expected = c.name().contains("worker") ? "worker" : "api";
                assertEquals(expected, c.env().get("PEFTFLOW_TRAINER_ROLE"), c + ": peftflow.trainer.role");
            }
        }
    }

    @Test
    void containerPortsAndProbesMatchTheServices() {
        for (Container c : ours()) {
            ServiceConfig service = SERVICES.get(c.module().orElseThrow());
            if (c.where().equals("compose")) {
                String check = String.join(" ", texts(c.spec().path("healthcheck").path("test")));
                assertTrue(check.contains("localhost:" + service.httpPort() + service.healthPath("ready")),
                        c + ": health check " + check);
                continue;
            }
            JsonNode http = port(c.spec(), "http").orElseThrow(() -> new AssertionError(c + ": no port named http"));
            assertEquals(service.httpPort(), http.path("containerPort").asInt(), c + ": container port");
            JsonNode liveness = c.spec().path("livenessProbe").path("httpGet");
            assertEquals(service.healthPath("live"), liveness.path("path").asText(), c + ": liveness probe path");
            assertTrue(Set.of("http", String.valueOf(service.httpPort())).contains(liveness.path("port").asText()),
                    c + ": liveness probe port");
            if (c.owner().startsWith("Deployment/")) {
                JsonNode readiness = c.spec().path("readinessProbe").path("httpGet");
                assertEquals(service.healthPath("ready"), readiness.path("path").asText(), c + ": readiness probe path");
                assertTrue(Set.of("http", String.valueOf(service.httpPort())).contains(readiness.path("port").asText()),
                        c + ": readiness probe port");
            }
        }
        SERVICES.keySet().forEach(m -> assertTrue(Repository.read(m + "/pom.xml").contains("quarkus-smallrye-health"),
                m + " serves /q/health"));
    }

    @Test
    void servicesExposeTheServicePortsAndTheGatewayRoutesMatchThem() {
        for (String overlay : Repository.overlays()) {
            List<JsonNode> docs = Repository.rendered(overlay);
            for (Container c : ours()) {
                if (!c.where().equals(overlay) || !c.owner().startsWith("Deployment/") || c.name().contains("worker")) {
                    continue;
                }
                int port = SERVICES.get(c.module().orElseThrow()).httpPort();
                JsonNode service = find(docs, "Service", c.name())
                        .orElseThrow(() -> new AssertionError(overlay + ": no Service for " + c.owner()));
                assertEquals(port, service.at("/spec/ports/0/port").asInt(), overlay + " Service/" + c.name());
                assertTrue(Set.of("http", String.valueOf(port)).contains(service.at("/spec/ports/0/targetPort").asText()));
            }
        }
        for (Container gateway : ours().stream().filter(c -> c.module().orElseThrow().equals("gateway")).toList()) {
            gateway.env().forEach((name, value) -> {
                if (name.startsWith("PEFTFLOW_GATEWAY_ROUTES_")) {
                    URI upstream = URI.create(value);
                    Container target = ours().stream()
                            .filter(c -> c.where().equals(gateway.where()) && c.name().equals(upstream.getHost()))
                            .findFirst().orElseThrow(() -> new AssertionError(gateway + ": " + name + " -> " + value + " has no such service"));
                    assertEquals(SERVICES.get(target.module().orElseThrow()).httpPort(), upstream.getPort(),
                            gateway + ": " + name + " port");
                }
            });
        }
    }

    @Test
    void gpuWorkersAreOnePodJobsWithOneGpuScaledFromTheQueue() {
        JsonNode scaledJob = find(Repository.rendered("production"), "ScaledJob", "trainer-worker-gpu").orElseThrow();
        JsonNode job = scaledJob.at("/spec/jobTargetRef");
        assertEquals(1, job.path("parallelism").asInt());
        assertEquals(1, job.path("completions").asInt());
        assertTrue(job.path("activeDeadlineSeconds").asInt() >= 3600, "a deadline long enough to train");
        assertTrue(job.path("backoffLimit").asInt() >= 1, "retries: the job resumes from its checkpoint");
        JsonNode pod = job.at("/template/spec");
        assertEquals("Never", pod.path("restartPolicy").asText());
        JsonNode container = pod.at("/containers/0");
        assertEquals("1", container.at("/resources/limits/nvidia.com~1gpu").asText());
        assertTrue(pod.path("tolerations").toString().contains("\"key\":\"nvidia.com/gpu\""), pod.path("tolerations").toString());
        assertFalse(pod.path("nodeSelector").isEmpty());
        assertTrue(container.path("image").asText().endsWith("-gpu"), "the CUDA image");
        // ... which trains with peft-core's fused CUDA kernels it installs; the manifest leaves their path alone.
        String kernels = NativeLibraryImage.assertInstalled("trainer-service",
                "peft-core/src/main/java/io/peftflow/core/nn/NativeTrainKernels.java");
        assertFalse(container.path("env").toString().contains("\"" + kernels + "\""), "the worker sets " + kernels + " again");
        JsonNode trigger = scaledJob.at("/spec/triggers/0");
        assertEquals("postgresql", trigger.path("type").asText());
        String database = container.path("env").findValues("value").stream().map(JsonNode::asText)
                .filter(v -> v.startsWith("jdbc:postgresql:")).findFirst().orElseThrow();
        assertEquals(database.substring(database.lastIndexOf('/') + 1), trigger.at("/metadata/dbName").asText(),
                "KEDA counts jobs in the workers' database");
        // KEDA's operator runs in its own namespace: the host must name peftflow's namespace.
        String pgHost = find(Repository.rendered("production"), "ConfigMap", "peftflow-config").orElseThrow()
                .at("/data/PEFTFLOW_PG_HOST").asText();
        assertEquals(pgHost + "." + scaledJob.at("/metadata/namespace").asText() + ".svc",
                trigger.at("/metadata/host").asText());
        // The query reads trainer-service's claimable_job view, the claim's own definition (once its migrations exist).
        Matcher table = Pattern.compile("FROM (\\w+)").matcher(trigger.at("/metadata/query").asText());
        assertTrue(table.find());
        Path migrations = Repository.ROOT.resolve("trainer-service/src/main/resources/db/migration");
        if (Files.isDirectory(migrations)) {
            try (Stream<Path> files = Files.list(migrations)) {
                assertTrue(files.map(f -> Repository.read(Repository.ROOT.relativize(f).toString())).anyMatch(sql ->
                        sql.contains("CREATE TABLE " + table.group(1) + " ") || sql.contains("CREATE VIEW " + table.group(1) + " ")),
                        "trainer-service creates " + table.group(1));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Test
    void everyImageIsPinned() {
        List<String> images = new ArrayList<>();
        everywhere().forEach(c -> images.add(c + ": " + c.image()));
        Repository.rendered("production").forEach(d -> {
            if (d.at("/spec/imageName").isTextual()) {
                images.add(d.path("kind").asText() + ": " + d.at("/spec/imageName").asText());
            }
        });
        for (Path file : Repository.dockerfiles()) {
            // FROM ${BASE_IMAGE}: the build argument's default is the image production gets.
            List<String> lines = Repository.read(Repository.ROOT.relativize(file).toString()).lines().toList();
            Map<String, String> args = lines.stream().filter(l -> l.startsWith("ARG ") && l.contains("="))
                    .collect(Collectors.toMap(l -> l.substring(4, l.indexOf('=')).trim(), l -> l.substring(l.indexOf('=') + 1).trim()));
            // FROM <image> [AS <stage>]: the image is the first word.
            lines.stream().filter(l -> l.startsWith("FROM ")).map(l -> l.substring(5).trim().split("\\s+")[0])
                    .map(from -> from.startsWith("${") ? args.getOrDefault(from.substring(2, from.length() - 1), from) : from)
                    .forEach(from -> images.add(file.getFileName() + ": " + from));
        }
        List<String> floating = images.stream().filter(i -> !pinned(i.substring(i.lastIndexOf(": ") + 2))).toList();
        assertEquals(List.of(), floating, "images without a fixed tag or digest");
        assertTrue(images.size() > 10, images.toString());
    }

    @Test
    void peftflowContainersAreNonRootReadOnlyAndBounded() {
        for (Container c : everywhere()) {
            if (c.where().equals("compose")) {
                continue;
            }
            JsonNode resources = c.spec().path("resources");
            assertTrue(resources.has("requests") && resources.has("limits"), c + ": requests and limits");
            if (c.module().isEmpty()) {
                continue;
            }
            JsonNode security = c.spec().path("securityContext");
            assertTrue(security.path("readOnlyRootFilesystem").asBoolean(), c + ": read-only root filesystem");
            assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true), c + ": no privilege escalation");
            assertTrue(c.pod().at("/securityContext/runAsNonRoot").asBoolean(), c + ": runAsNonRoot");
            Set<String> mounts = new TreeSet<>();
            c.spec().path("volumeMounts").forEach(m -> mounts.add(m.path("mountPath").asText()));
            assertTrue(mounts.contains("/tmp"), c + ": a writable /tmp");
        }
    }

    @Test
    void everyServiceDeploymentHasADisruptionBudgetAndTheGatewayAnAutoscaler() {
        for (String overlay : Repository.overlays()) {
            List<JsonNode> docs = Repository.rendered(overlay);
            docs.stream().filter(d -> d.path("kind").asText().equals("Service") && d.at("/metadata/labels/app.kubernetes.io~1part-of").isTextual())
                    .filter(s -> find(docs, "Deployment", s.at("/metadata/name").asText()).isPresent())
                    .forEach(s -> assertTrue(find(docs, "PodDisruptionBudget", s.at("/metadata/name").asText()).isPresent(),
                            overlay + ": PodDisruptionBudget for " + s.at("/metadata/name").asText()));
            JsonNode hpa = find(docs, "HorizontalPodAutoscaler", "gateway").orElseThrow();
            assertEquals("gateway", hpa.at("/spec/scaleTargetRef/name").asText());
        }
    }

    @Test
    void everySecretReferenceNamesAKeyOfTheDocumentedSecrets() {
        // The local overlay's generated Secrets document the names and keys production creates by hand.
        Map<String, Set<String>> documented = Repository.rendered("local").stream()
                .filter(d -> d.path("kind").asText().equals("Secret"))
                .collect(Collectors.toMap(d -> d.at("/metadata/name").asText(), d -> {
                    Set<String> keys = new TreeSet<>();
                    d.path("stringData").fieldNames().forEachRemaining(keys::add);
                    d.path("data").fieldNames().forEachRemaining(keys::add);
                    return keys;
                }));
        for (String overlay : Repository.overlays()) {
            List<String> references = new ArrayList<>();
            Repository.rendered(overlay).forEach(d -> collectSecretReferences(d, references));
            assertFalse(references.isEmpty());
            for (String ref : references) {
                String name = ref.substring(0, ref.indexOf('/'));
                String key = ref.substring(ref.indexOf('/') + 1);
                assertTrue(documented.getOrDefault(name, Set.of()).contains(key) || key.isEmpty() && documented.containsKey(name),
                        overlay + ": Secret " + name + " key " + key + " is not in k8s/components/generated-secrets");
            }
        }
    }

    /** secretKeyRef (name/key), KEDA's secretTargetRef (name/key) and CloudNativePG's initdb secret (name/). */
    private static void collectSecretReferences(JsonNode node, List<String> out) {
        if (node.isObject()) {
            if (node.has("secretKeyRef")) {
                out.add(node.at("/secretKeyRef/name").asText() + "/" + node.at("/secretKeyRef/key").asText());
            }
            if (node.has("parameter") && node.has("name") && node.has("key")) {
                out.add(node.path("name").asText() + "/" + node.path("key").asText());
            }
            if (node.has("initdb") && node.at("/initdb/secret/name").isTextual()) {
                out.add(node.at("/initdb/secret/name").asText() + "/");
            }
        }
        node.forEach(child -> collectSecretReferences(child, out));
    }

    @Test
    void theBucketsEveryServiceUsesAreCreated() {
        Matcher list = Pattern.compile("BUCKETS=\"([^\"]+)\"").matcher(Repository.read("k8s/components/minio/create-buckets.sh"));
        assertTrue(list.find());
        Set<String> created = Set.of(list.group(1).split(" "));
        Set<String> used = SERVICES.values().stream().flatMap(s -> s.buckets().stream()).collect(Collectors.toSet());
        assertFalse(used.isEmpty());
        assertTrue(created.containsAll(used), "create-buckets.sh makes " + created + ", the services use " + used);
    }

    @Test
    void theDatabasesEveryServiceConnectsToAreCreated() {
        Set<String> local = AccessControlsTest.localDatabases();
        JsonNode initdb = find(Repository.rendered("production"), "Cluster", "peftflow-pg").orElseThrow().at("/spec/bootstrap/initdb");
        Set<String> production = new TreeSet<>(matches("CREATE DATABASE (\\w+)", initdb.path("postInitSQL").toString()));
        production.add(initdb.path("database").asText());
        for (Container c : ours()) {
            if (!SERVICES.get(c.module().orElseThrow()).usesDatabase()) {
                continue;
            }
            String url = c.env().get("QUARKUS_DATASOURCE_JDBC_URL");
            assertTrue(url != null && url.startsWith("jdbc:postgresql://"), c + ": " + url);
            String database = url.substring(url.lastIndexOf('/') + 1);
            Set<String> created = c.where().equals("production") ? production : local;
            assertTrue(created.contains(database), c + " connects to " + database + ", created: " + created);
        }
    }

    @Test
    void everyTopicIsDeclaredForStrimzi() {
        Set<String> topics = matches("\"(peftflow\\.[a-z.-]+)\"",
                Repository.read("events/src/main/java/io/peftflow/events/Topics.java"));
        Set<String> declared = Repository.rendered("production").stream()
                .filter(d -> d.path("kind").asText().equals("KafkaTopic"))
                .map(d -> d.at("/spec/topicName").asText()).collect(Collectors.toSet());
        assertFalse(topics.isEmpty());
        assertEquals(topics, declared, "KafkaTopics in k8s/overlays/production/kafka.yaml");
    }

    static boolean pinned(String image) {
        if (image.contains("@sha256:")) {
            return true;
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon > slash && !image.endsWith(":latest");
    }

    private static Optional<JsonNode> port(JsonNode container, String name) {
        for (JsonNode p : container.path("ports")) {
            if (p.path("name").asText().equals(name)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static Optional<JsonNode> find(Collection<JsonNode> docs, String kind, String name) {
        return docs.stream().filter(d -> d.path("kind").asText().equals(kind)
                && d.path("metadata").path("name").asText().equals(name)).findFirst();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Set<String> matches(String regex, String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
