package io.peftflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every overlay renders with `kubectl kustomize`, and every rendered document matches its schema. */
class RenderedManifestsTest {

    static List<String> overlays() {
        return Repository.overlays();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyDocumentMatchesItsSchema(String overlay) {
        List<JsonNode> docs = Repository.rendered(overlay);
        assertFalse(docs.isEmpty(), overlay + " rendered nothing");
        List<String> problems = docs.stream().flatMap(d -> ManifestSchemas.problems(d).stream()).toList();
        assertEquals(List.of(), problems, overlay + ": documents that do not match their schema");
    }

    @Test
    void bothOverlaysExist() {
        assertTrue(overlays().containsAll(List.of("local", "production")), overlays().toString());
    }

    // A deliberately wrong field in each kind of schema is caught, with the field's name in the message.

    @Test
    void aMisspelledFieldInADeploymentFails() {
        ObjectNode deployment = copyOf("local", "Deployment", "gateway");
        ((ObjectNode) deployment.at("/spec/template/spec/containers/0")).put("imagePullPolcy", "Always");
        assertProblem(deployment, "imagePullPolcy");
    }

    @Test
    void aFieldOfTheWrongTypeInAServiceFails() {
        ObjectNode service = copyOf("local", "Service", "gateway");
        ((ObjectNode) service.at("/spec")).putObject("type");
        assertProblem(service, "`type` to be a primitive");
    }

    @Test
    void anApiVersionKubernetes132DoesNotServeFails() {
        ObjectNode hpa = copyOf("local", "HorizontalPodAutoscaler", "gateway");
        hpa.put("apiVersion", "autoscaling/v2beta2");
        assertProblem(hpa, "V2beta2HorizontalPodAutoscaler");
    }

    @Test
    void aMemoryLimitThatIsNoQuantityFails() {
        ObjectNode scaledJob = copyOf("production", "ScaledJob", "trainer-worker-gpu");
        ((ObjectNode) scaledJob.at("/spec/jobTargetRef/template/spec/containers/0/resources/limits")).put("memory", "48GB");
        assertProblem(scaledJob, "resources.limits.memory: 48GB is not a Kubernetes quantity");
    }

    @Test
    void aMisspelledFieldInTheKedaScaledJobFails() {
        ObjectNode scaledJob = copyOf("production", "ScaledJob", "trainer-worker-gpu");
        ((ObjectNode) scaledJob.at("/spec")).put("pollingIntervall", 30);
        assertProblem(scaledJob, "spec.pollingIntervall: unknown field");
    }

    @Test
    void aMisspelledFieldInTheScaledJobsPodTemplateFails() {
        ObjectNode scaledJob = copyOf("production", "ScaledJob", "trainer-worker-gpu");
        ((ObjectNode) scaledJob.at("/spec/jobTargetRef/template/spec")).put("nodeSelecter", "gpu");
        assertProblem(scaledJob, "nodeSelecter");
    }

    @Test
    void aMisspelledFieldInTheStrimziKafkaFails() {
        ObjectNode kafka = copyOf("production", "Kafka", "peftflow-kafka");
        ((ObjectNode) kafka.at("/spec/kafka/listeners/0")).put("tsl", true);
        assertProblem(kafka, "kafka.listeners[0].tsl: unknown field");
    }

    @Test
    void aStringForANumberInAKafkaTopicFails() {
        ObjectNode topic = copyOf("production", "KafkaTopic", "training-events");
        ((ObjectNode) topic.at("/spec")).put("partitions", "six");
        assertProblem(topic, "partitions");
    }

    @Test
    void aMisspelledFieldInTheCloudNativePgClusterFails() {
        ObjectNode cluster = copyOf("production", "Cluster", "peftflow-pg");
        ((ObjectNode) cluster.at("/spec/bootstrap/initdb")).put("ownr", "peftflow");
        assertProblem(cluster, "spec.bootstrap.initdb.ownr: unknown field");
    }

    private static ObjectNode copyOf(String overlay, String kind, String name) {
        return Repository.rendered(overlay).stream()
                .filter(d -> d.path("kind").asText().equals(kind) && d.path("metadata").path("name").asText().equals(name))
                .findFirst().map(d -> (ObjectNode) d.deepCopy())
                .orElseThrow(() -> new AssertionError("no " + kind + "/" + name + " in " + overlay));
    }

    private static void assertProblem(JsonNode doc, String expected) {
        List<String> problems = ManifestSchemas.problems(doc);
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)),
                "expected a problem naming '" + expected + "', got " + problems);
    }
}
