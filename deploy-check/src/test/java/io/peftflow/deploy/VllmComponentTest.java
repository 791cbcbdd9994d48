package io.peftflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * k8s/components/vllm as its README says to use it (a kustomization over the production overlay): it renders, every
 * document matches its schema, vLLM runs with runtime LoRA loading, the champion sync reaches vLLM, writes the adapters
 * where vLLM reads them, is allowed to ask the registry, and uses only credentials inference-service already has.
 */
class VllmComponentTest {
    private static List<JsonNode> docs;

    @BeforeAll
    static void render() throws IOException {
        Path dir = Repository.ROOT.resolve("deploy-check/target/vllm-overlay");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                namespace: peftflow
                resources:
                  - ../../../k8s/overlays/production
                components:
                  - ../../../k8s/components/vllm
                """);
        Repository.rendered("production"); // generates what the overlays need first
        docs = Repository.parseAll(Repository.run("kubectl", "kustomize", dir.toString()));
    }

    @Test
    void everyDocumentMatchesItsSchema() {
        assertEquals(List.of(), docs.stream().flatMap(d -> ManifestSchemas.problems(d).stream()).toList());
    }

    @Test
    void vllmServesLoraAdaptersLoadedAtRuntimeOnAGpu() {
        JsonNode pod = find("Deployment", "vllm-champion").at("/spec/template/spec");
        JsonNode vllm = container(pod.get("containers"), "vllm");
        assertTrue(vllm.get("image").asText().matches("vllm/vllm-openai:v\\d+\\.\\d+\\.\\d+"), "a pinned vLLM release");
        List<String> args = texts(vllm.get("args"));
        assertTrue(args.contains("--enable-lora"), args.toString());
        assertEquals("True", env(vllm, "VLLM_ALLOW_RUNTIME_LORA_UPDATING"));
        String base = env(container(pod.get("initContainers"), "base-model"), "BASE_MODEL");
        assertTrue(args.contains("--model=/models/" + base), "vLLM serves the base model the init container copies: " + args);
        assertEquals("1", vllm.at("/resources/limits/nvidia.com~1gpu").asText());
        assertEquals(port(vllm, "vllm"), find("Service", "vllm-champion").at("/spec/ports/0/port").asInt());
    }

    @Test
    void theChampionSyncFeedsThisPodsVllmThroughASharedVolume() {
        JsonNode pod = find("Deployment", "vllm-champion").at("/spec/template/spec");
        JsonNode vllm = container(pod.get("containers"), "vllm");
        JsonNode sync = container(pod.get("containers"), "app");
        assertEquals("http://127.0.0.1:" + port(vllm, "vllm"), env(sync, "PEFTFLOW_INFERENCE_VLLM_URL"));
        assertTrue(env(sync, "PEFTFLOW_INFERENCE_VLLM_ADAPTERS").matches("[^/,]+/[^/,]+(,[^/,]+/[^/,]+)*"));
        // the settings inference-service reads: peftflow.inference.vllm.url and .adapters
        String config = Repository.read("inference-service/src/main/java/io/peftflow/inference/InferenceConfig.java");
        assertTrue(config.contains("@ConfigMapping(prefix = \"peftflow.inference\")") && config.contains("Vllm vllm();")
                && config.contains("Optional<String> url();") && config.contains("Optional<List<String>> adapters();"));
        String cacheDir = env(sync, "PEFTFLOW_INFERENCE_CACHE_DIR");
        String mount = mountOf(sync, "adapters");
        assertTrue(cacheDir.startsWith(mount + "/"), "the sync writes adapters under its adapters volume: " + cacheDir);
        assertEquals(mount, mountOf(vllm, "adapters"), "vLLM reads the same paths the sync hands it");
    }

    @Test
    void theSyncMayAskTheRegistryAndUsesInferenceServicesCredentialsOnly() {
        JsonNode deployment = find("Deployment", "vllm-champion");
        JsonNode labels = deployment.at("/spec/template/metadata/labels");
        assertEquals("true", labels.path("peftflow.io/data-client").asText(), "egress to the data stores and registry");
        JsonNode policy = find("NetworkPolicy", "registry-from-vllm-champion");
        assertEquals("registry-service", policy.at("/spec/podSelector/matchLabels/app.kubernetes.io~1name").asText());
        assertEquals(labels.path("app.kubernetes.io/name").asText(),
                policy.at("/spec/ingress/0/from/0/podSelector/matchLabels/app.kubernetes.io~1name").asText());
        Set<String> allowed = secretsOf(find("Deployment", "inference-service"));
        allowed.add("peftflow-gateway");
        Set<String> used = secretsOf(deployment);
        assertFalse(used.isEmpty());
        assertTrue(allowed.containsAll(used), "secrets beyond inference-service's: " + used + " vs " + allowed);
    }

    private static JsonNode find(String kind, String name) {
        return docs.stream().filter(d -> kind.equals(d.path("kind").asText())
                && name.equals(d.at("/metadata/name").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static JsonNode container(JsonNode containers, String name) {
        return StreamSupport.stream(containers.spliterator(), false).filter(c -> name.equals(c.path("name").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no container " + name));
    }

    private static String env(JsonNode container, String name) {
        return StreamSupport.stream(container.path("env").spliterator(), false)
                .filter(e -> name.equals(e.path("name").asText())).map(e -> e.path("value").asText()).findFirst()
                .orElseThrow(() -> new AssertionError(container.path("name").asText() + " has no " + name));
    }

    private static int port(JsonNode container, String name) {
        return StreamSupport.stream(container.path("ports").spliterator(), false)
                .filter(p -> name.equals(p.path("name").asText())).mapToInt(p -> p.path("containerPort").asInt())
                .findFirst().orElseThrow(() -> new AssertionError("no port " + name));
    }

    private static String mountOf(JsonNode container, String volume) {
        return StreamSupport.stream(container.path("volumeMounts").spliterator(), false)
                .filter(m -> volume.equals(m.path("name").asText())).map(m -> m.path("mountPath").asText()).findFirst()
                .orElseThrow(() -> new AssertionError(container.path("name").asText() + " does not mount " + volume));
    }

    private static Set<String> secretsOf(JsonNode deployment) {
        return new HashSet<>(deployment.findValues("secretKeyRef").stream().map(r -> r.path("name").asText()).toList());
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
