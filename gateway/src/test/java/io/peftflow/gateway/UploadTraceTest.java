package io.peftflow.gateway;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One upload's trace, as the services export it over OTLP: through the gateway into dataset-service, through its
 * outbox and Kafka into trainer-service, whose retraining policy queues a job that the worker trains in the same
 * trace, and through the trainer's outbox into registry-service, which registers the adapter.
 */
@QuarkusTest
class UploadTraceTest {
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String DATASET = "traced";
    private static final String ADAPTER = "traced-lora";
    /** A few steps: the trace is the point, not the adapter. */
    private static final String POLICY = """
            {"model": "tiny-llama",
             "method": {"type": "lora", "hyperparameters": {"r": 4, "lora_alpha": 8, "target_modules": ["q_proj", "v_proj"]}},
             "training": {"max_steps": 4, "batch_size": 4, "checkpoint_every_steps": 4},
             "seed": 7, "adapter_name": "%s", "min_new_examples": 0, "debounce_seconds": 0}""".formatted(ADAPTER);

    @Test
    void oneTraceFromUploadToRegisteredAdapter() {
        Keys.Key key = Keys.create("otel-" + RUN);
        given().header("Authorization", key.bearer()).contentType("application/json").body(POLICY)
                .when().put("/v1/fine-tuning/policies/" + DATASET).then().statusCode(200);
        String traceId = HexFormat.of().formatHex(randomBytes(16));
        given().header("Authorization", key.bearer())
                .header("traceparent", "00-" + traceId + "-" + HexFormat.of().formatHex(randomBytes(8)) + "-01")
                .contentType("application/x-ndjson").body(Samples.transactions(40).getBytes(StandardCharsets.UTF_8))
                .when().post("/v1/datasets/" + DATASET + "/versions?on_invalid=drop").then().statusCode(201);
        String job = policyJob(key);
        Training.awaitSucceeded(key, job);
        Training.awaitVersion(key, ADAPTER, 1);

        // Each hop's spans: the gateway's server and client span, dataset-service's request and outbox send, the
        // trainer's intake of the version, its training run and send, the registry's intake of the job's success.
        Set<String> expected = Set.of("gateway", "dataset-service", "dataset-service:peftflow.dataset-versions publish",
                "trainer-service:dataset-versions process", "trainer-service:train " + job,
                "trainer-service:peftflow.training-events publish", "registry-service:training-events process");
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        List<OtlpReceiver.ExportedSpan> spans;
        Set<String> seen;
        do {
            spans = TestStack.traces.trace(traceId);
            seen = spans.stream().flatMap(s -> List.of(s.service(), s.service() + ":" + s.name()).stream())
                    .collect(Collectors.toSet());
            if (seen.containsAll(expected)) {
                break;
            }
            Training.sleep();
        } while (System.nanoTime() < deadline);
        Map<String, Long> perService = spans.stream()
                .collect(Collectors.groupingBy(OtlpReceiver.ExportedSpan::service, TreeMap::new, Collectors.counting()));
        System.out.printf("trace %s: spans per service %s: %s%n", traceId, perService,
                spans.stream().map(s -> s.service() + ":" + s.name()).sorted().toList());
        for (String hop : expected) {
            assertTrue(seen.contains(hop), "trace " + traceId + " has no span " + hop + "; it has "
                    + spans.stream().map(s -> s.service() + ":" + s.name()).sorted().toList());
        }
    }

    /** The job the policy queued for the upload's version (the trainer hears of the version on Kafka). */
    private static String policyJob(Keys.Key key) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath jobs = given().header("Authorization", key.bearer())
                    .when().get("/v1/fine-tuning/jobs?dataset=" + DATASET).then().statusCode(200).extract().jsonPath();
            List<String> ids = jobs.getList("data.id");
            if (!ids.isEmpty()) {
                return ids.get(0);
            }
            Training.sleep();
        }
        return fail("the policy queued no job for dataset " + DATASET);
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }
}
