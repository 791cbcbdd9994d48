package io.peftflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * The production overlay's monitoring (k8s/components/monitoring) names metrics the services really register, scrapes
 * the ports the Services and worker pods really have, and the alerts the issue asks for exist.
 */
class MonitoringTest {
    private static final Pattern METRIC = Pattern.compile("\\bpeftflow_[a-z_]+");
    /** A Micrometer meter's name in Java source: Gauge.builder("peftflow.x.y", ...) or Counter.builder(...). */
    private static final Pattern REGISTERED = Pattern.compile("(?:Gauge|Counter)\\.builder\\(\"(peftflow\\.[a-z.]+)\"");

    @Test
    void everyMetricTheAlertsAndTheDashboardReadIsRegisteredByAService() throws IOException {
        Set<String> exposed = registeredMetrics();
        Set<String> read = new TreeSet<>(metricsIn(rule().toString()));
        read.addAll(metricsIn(Files.readString(Repository.ROOT.resolve("k8s/components/monitoring/peftflow-dashboard.json"))));
        Set<String> unknown = read.stream().filter(m -> !exposed.contains(m)).collect(Collectors.toCollection(TreeSet::new));
        assertTrue(unknown.isEmpty(), "metrics no service registers: " + unknown + " (registered: " + exposed + ")");
    }

    @Test
    void theAlertsCoverTheOutboxTheQueueTheLeasesAndTheRegistry() {
        Set<String> alerts = rule().findValues("alert").stream().map(JsonNode::asText).collect(Collectors.toSet());
        assertEquals(Set.of("PeftflowOutboxBacklog", "PeftflowOutboxDeadLetters", "PeftflowOutboxKafkaDown",
                "PeftflowJobsQueuedTooLong", "PeftflowLeasesLost", "PeftflowRegistrationFailures"), alerts);
    }

    @Test
    void theMonitorsScrapeNamedPortsTheWorkloadsHave() {
        List<JsonNode> docs = Repository.rendered("production");
        JsonNode services = find(docs, "ServiceMonitor", "peftflow-services");
        Set<String> selected = new TreeSet<>();
        services.at("/spec/selector/matchExpressions/0/values").forEach(v -> selected.add(v.asText()));
        for (String name : selected) {
            JsonNode service = find(docs, "Service", name);
            assertTrue(service.at("/spec/ports").findValuesAsText("name").contains("http"), name + " has no port named http");
            assertEquals("peftflow", service.at("/metadata/labels/app.kubernetes.io~1part-of").asText(), name);
        }
        JsonNode workers = find(docs, "ScaledJob", "trainer-worker-gpu");
        JsonNode pod = find(docs, "PodMonitor", "peftflow-trainer-workers");
        assertEquals(workers.at("/spec/jobTargetRef/template/metadata/labels/app.kubernetes.io~1name"),
                pod.at("/spec/selector/matchLabels/app.kubernetes.io~1name"));
        assertTrue(workers.at("/spec/jobTargetRef/template/spec/containers/0/ports").findValuesAsText("name").contains("http"));
    }

    @Test
    void aMisspelledFieldInTheServiceMonitorFails() {
        ObjectNode monitor = find(Repository.rendered("production"), "ServiceMonitor", "peftflow-services").deepCopy();
        ((ObjectNode) monitor.at("/spec/endpoints/0")).put("intervall", "30s");
        List<String> problems = ManifestSchemas.problems(monitor);
        assertTrue(problems.stream().anyMatch(p -> p.contains("spec.endpoints[0].intervall: unknown field")), problems.toString());
    }

    @Test
    void aRuleWithoutAnExpressionFails() {
        ObjectNode rule = rule().deepCopy();
        ((ObjectNode) rule.at("/spec/groups/0/rules/0")).remove("expr");
        assertFalse(ManifestSchemas.problems(rule).isEmpty());
    }

    private static JsonNode rule() {
        return find(Repository.rendered("production"), "PrometheusRule", "peftflow");
    }

    private static JsonNode find(List<JsonNode> docs, String kind, String name) {
        return docs.stream().filter(d -> d.path("kind").asText().equals(kind) && d.at("/metadata/name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + "/" + name + " in production"));
    }

    private static Set<String> metricsIn(String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = METRIC.matcher(text);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }

    /** Every peftflow meter of the services' main sources in its Prometheus form (counters _total, seconds _seconds). */
    private static Set<String> registeredMetrics() throws IOException {
        List<Path> sources;
        try (Stream<Path> modules = Files.list(Repository.ROOT)) {
            sources = modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).toList();
        }
        Set<String> names = new TreeSet<>();
        for (Path dir : sources) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(f -> names.addAll(meters(read(f))));
            }
        }
        return names;
    }

    private static Set<String> meters(String source) {
        Set<String> names = new TreeSet<>();
        Matcher m = REGISTERED.matcher(source);
        while (m.find()) {
            String base = m.group(1).replace('.', '_');
            int register = source.indexOf(".register(", m.end());
            String builder = source.substring(m.end(), register < 0 ? source.length() : register);
            if (m.group().startsWith("Counter")) {
                names.add(base + "_total");
            } else {
                names.add(builder.contains("baseUnit(\"seconds\")") ? base + "_seconds" : base);
            }
        }
        return names;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
