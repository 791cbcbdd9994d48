package io.peftflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * inference-service on GPU nodes in production (CPU in local): one GPU, the -gpu image whose Dockerfile installs peft-core's
 * native decode engine where the variable NativeLlamaDecode reads points, the trainer workers' placement, and a KEDA
 * ScaledObject on a request rate the service really exports.
 */
class GpuInferenceTest {
    private static final String MODULE = "inference-service";
    private static final String GPU = "nvidia.com~1gpu";

    private static Container inference(String overlay) {
        return Container.inOverlay(overlay).stream().filter(c -> c.owner().equals("Deployment/" + MODULE)).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + " has no Deployment/" + MODULE));
    }

    @Test
    void productionServesOnOneGpuWithTheEngineItsImageInstalls() {
        Container c = inference("production");
        assertTrue(c.image().endsWith("-gpu"), c + ": the CUDA image, not " + c.image());
        assertEquals("1", c.spec().at("/resources/limits/" + GPU).asText(), c + ": one GPU");
        assertTrue(c.env().getOrDefault("PEFTFLOW_INFERENCE_DEVICE", "").matches("cuda(:\\d+)?"),
                c + ": peftflow.inference.device " + c.env().get("PEFTFLOW_INFERENCE_DEVICE"));

        // The variable the engine is turned on by, as peft-core reads it, is the one the image sets to the file it installs.
        String variable = NativeLibraryImage.assertInstalled(MODULE,
                "peft-core/src/main/java/io/peftflow/core/model/NativeLlamaDecode.java");
        // The manifest leaves the image's setting alone (one home for the path).
        assertFalse(c.env().containsKey(variable), c + " sets " + variable + " again");
        assertFalse(c.env().values().stream().anyMatch(v -> v != null && v.contains("-Dpeftflow.decode.native")), c.toString());
    }

    @Test
    void localStaysOnTheCpu() {
        Container c = inference("local");
        assertFalse(c.image().endsWith("-gpu"), c.image());
        assertTrue(c.spec().at("/resources/limits/" + GPU).isMissingNode(), c + " asks for no GPU");
        assertTrue(Set.of("", "cpu").contains(c.env().getOrDefault("PEFTFLOW_INFERENCE_DEVICE", "")), c.toString());
    }

    @Test
    void everyGpuPodIsPlacedLikeTheOthers() {
        List<Container> gpu = Container.inOverlay("production").stream()
                .filter(c -> c.spec().at("/resources/limits/" + GPU).isTextual() || c.spec().at("/resources/limits/" + GPU).isNumber())
                .toList();
        assertTrue(gpu.stream().map(Container::owner).collect(Collectors.toSet())
                .containsAll(Set.of("Deployment/" + MODULE, "ScaledJob/trainer-worker-gpu")), gpu.toString());
        for (Container c : gpu) {
            assertEquals(gpu.get(0).pod().path("nodeSelector"), c.pod().path("nodeSelector"), c + ": node selector");
            assertEquals(gpu.get(0).pod().path("tolerations"), c.pod().path("tolerations"), c + ": tolerations");
            assertFalse(c.pod().path("nodeSelector").isEmpty(), c.toString());
        }
    }

    @Test
    void theRequestRateScalerTargetsTheDeploymentAndReadsAMetricTheServiceExports() {
        List<JsonNode> docs = Repository.rendered("production");
        JsonNode scaler = docs.stream().filter(d -> d.path("kind").asText().equals("ScaledObject")
                        && d.at("/spec/scaleTargetRef/name").asText().equals(MODULE)).findFirst()
                .orElseThrow(() -> new AssertionError("no ScaledObject targets " + MODULE));
        assertTrue(Set.of("", "Deployment").contains(scaler.at("/spec/scaleTargetRef/kind").asText()));
        JsonNode deployment = docs.stream().filter(d -> d.path("kind").asText().equals("Deployment")
                && d.at("/metadata/name").asText().equals(MODULE)).findFirst().orElseThrow();
        assertTrue(deployment.at("/spec/replicas").isMissingNode(), "KEDA owns the replica count; the Deployment sets none");
        assertTrue(scaler.at("/spec/minReplicaCount").asInt() >= 1, "a GPU pod loads too slowly to scale from zero");
        assertTrue(scaler.at("/spec/maxReplicaCount").asInt() > scaler.at("/spec/minReplicaCount").asInt());

        JsonNode trigger = scaler.at("/spec/triggers/0");
        assertEquals("prometheus", trigger.path("type").asText());
        assertTrue(trigger.at("/metadata/serverAddress").asText().startsWith("http"));
        assertTrue(Double.parseDouble(trigger.at("/metadata/threshold").asText()) > 0);
        String query = trigger.at("/metadata/query").asText();
        // Quarkus Micrometer's HTTP server timer, in Prometheus' naming, exported by the service's registry.
        assertTrue(query.contains("http_server_requests_seconds_count{"), query);
        assertTrue(Repository.read(MODULE + "/pom.xml").contains("quarkus-micrometer-registry-prometheus"));
        assertEquals(scaler.at("/metadata/namespace").asText(), label(query, "namespace"));
        // job is the scraped Service's name (the ServiceMonitor sets no jobLabel).
        JsonNode monitor = docs.stream().filter(d -> d.path("kind").asText().equals("ServiceMonitor")).findFirst().orElseThrow();
        assertTrue(monitor.at("/spec/jobLabel").isMissingNode());
        assertEquals(MODULE, label(query, "job"));
        assertTrue(monitor.at("/spec/selector/matchExpressions/0/values").toString().contains("\"" + MODULE + "\""),
                "the ServiceMonitor scrapes " + MODULE);
        // Every uri counted is a path the service serves.
        Set<String> served = servedPaths();
        for (String uri : label(query, "uri").split("\\|")) {
            assertTrue(served.contains(uri), uri + " is not among " + served);
        }
    }

    /** A label's value in a PromQL selector (label="v" or label=~"v"). */
    private static String label(String query, String name) {
        Matcher m = Pattern.compile("\\b" + name + "=~?\"([^\"]*)\"").matcher(query);
        assertTrue(m.find(), query + " selects no " + name);
        return m.group(1);
    }

    /** The paths inference-service's JAX-RS resources serve: each class's @Path joined with its methods'. */
    private static Set<String> servedPaths() {
        Pattern path = Pattern.compile("@Path\\(\"([^\"]*)\"\\)");
        Set<String> served = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Repository.ROOT.resolve(MODULE + "/src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String source = Files.readString(f);
                int type = source.indexOf(" class ");
                Matcher m = path.matcher(source);
                String base = null;
                while (m.find()) {
                    if (m.start() < type) {
                        base = m.group(1);
                        served.add(base);
                    } else if (base != null) {
                        served.add((base + "/" + m.group(1)).replaceAll("/+", "/"));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return served;
    }
}
