package io.peftflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker-compose.yml runs each peftflow container as its Kubernetes workload does: the same user and group, a
 * read-only root file system with the same writable mounts, all capabilities dropped, no privilege escalation and the
 * same memory limit. Read from both files (compose as docker-compose renders it, k8s as kustomize renders it); the
 * container stage of `./peftflow test` then runs the compose side.
 */
class ComposeMatchesKubernetesTest {
    /** Compose service -> the overlay and workload it stands for. */
    private static final Map<String, String> COUNTERPARTS = Map.of(
            "dataset-service", "local Deployment/dataset-service",
            "trainer-api", "local Deployment/trainer-api",
            "trainer-worker", "local Deployment/trainer-worker",
            "registry-service", "local Deployment/registry-service",
            "inference-service", "local Deployment/inference-service",
            "gateway", "local Deployment/gateway",
            "trainer-worker-gpu", "production ScaledJob/trainer-worker-gpu");

    @Test
    void everyPeftflowServiceRunsAsItsKubernetesContainer() {
        List<String> differences = new ArrayList<>();
        Set<String> compared = new TreeSet<>();
        for (Container service : Container.inCompose()) {
            if (service.module().isEmpty()) {
                continue;
            }
            String counterpart = COUNTERPARTS.get(service.name());
            assertTrue(counterpart != null, service + " has no Kubernetes counterpart listed here");
            Container pod = Container.inOverlay(counterpart.substring(0, counterpart.indexOf(' '))).stream()
                    .filter(c -> c.toString().equals(counterpart) && c.spec().path("name").asText().equals("app"))
                    .findFirst().orElseThrow(() -> new AssertionError(counterpart + " not rendered"));
            differences.addAll(differences(service.spec(), pod).stream().map(d -> service + " vs " + counterpart + ": " + d).toList());
            compared.add(service.name());
        }
        assertEquals(COUNTERPARTS.keySet(), compared);
        assertEquals(List.of(), differences);
    }

    @Test
    void aDifferenceIsFound() {
        Container pod = Container.inOverlay("local").stream()
                .filter(c -> c.toString().equals("local Deployment/gateway")).findFirst().orElseThrow();
        ObjectNode service = Repository.composeConfig().at("/services/gateway").deepCopy();
        assertEquals(List.of(), differences(service, pod));
        service.put("mem_limit", "1g");
        service.put("read_only", false);
        service.put("user", "0");
        service.putArray("volumes").add("/tmp").add("/var/cache/peftflow");
        service.remove("cap_drop");
        service.remove("security_opt");
        assertEquals(6, differences(service, pod).size(), differences(service, pod).toString());
    }

    /** What differs between a compose service and the Kubernetes container it stands for. */
    static List<String> differences(JsonNode service, Container pod) {
        List<String> out = new ArrayList<>();
        JsonNode podSecurity = pod.pod().path("securityContext");
        JsonNode security = pod.spec().path("securityContext");
        String user = first(security, podSecurity, "runAsUser") + ":" + first(security, podSecurity, "runAsGroup");
        check(out, "user", service.path("user").asText(), user);
        check(out, "read-only root", service.path("read_only").asBoolean(), security.path("readOnlyRootFilesystem").asBoolean());
        check(out, "capabilities dropped", service.path("cap_drop").toString(), security.at("/capabilities/drop").toString());
        check(out, "no privilege escalation", service.path("security_opt").toString().contains("no-new-privileges:true"),
                !security.path("allowPrivilegeEscalation").asBoolean(true));
        check(out, "memory limit", bytes(service.path("mem_limit").asText()), bytes(pod.spec().at("/resources/limits/memory").asText()));
        Set<String> composeMounts = new TreeSet<>();
        service.path("volumes").forEach(v -> composeMounts.add(v.isTextual() ? target(v.asText()) : v.path("target").asText()));
        service.path("tmpfs").forEach(t -> composeMounts.add(t.asText().split(":")[0]));
        Set<String> podMounts = new TreeSet<>();
        pod.spec().path("volumeMounts").forEach(m -> podMounts.add(m.path("mountPath").asText()));
        check(out, "writable mounts", composeMounts, podMounts);
        return out;
    }

    private static String first(JsonNode container, JsonNode pod, String field) {
        return container.has(field) ? container.path(field).asText() : pod.path(field).asText();
    }

    private static String target(String shortSyntax) {
        String[] parts = shortSyntax.split(":");
        return parts.length == 1 ? parts[0] : parts[1];
    }

    private static void check(List<String> out, String what, Object compose, Object kubernetes) {
        if (!compose.equals(kubernetes)) {
            out.add(what + " " + compose + " != " + kubernetes);
        }
    }

    /** Compose's "768m", "2g" and Kubernetes' "768Mi", "2Gi" in bytes (both binary units). */
    static long bytes(String quantity) {
        String q = quantity.trim().toLowerCase().replace("i", "").replace("b", "");
        if (q.isEmpty()) {
            return -1;
        }
        char unit = q.charAt(q.length() - 1);
        long factor = switch (unit) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1;
        };
        return Long.parseLong(Character.isDigit(unit) ? q : q.substring(0, q.length() - 1)) * factor;
    }
}
