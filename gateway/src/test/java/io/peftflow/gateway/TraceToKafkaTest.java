package io.peftflow.gateway;

import io.peftflow.events.PlatformHeaders;
import io.peftflow.events.Topics;
import io.peftflow.kit.LocalStackKafka;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The correlation id and trace context of an upload through the gateway reach the Kafka event it causes: the record's
 * {@code traceparent} is the client's trace, its parent span dataset-service's send of the event from the outbox.
 */
@QuarkusTest
class TraceToKafkaTest {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Test
    void anUploadsEventCarriesItsRequestIdAndTrace() {
        String tenant = "trace-" + UUID.randomUUID().toString().substring(0, 8);
        String requestId = "upload-" + UUID.randomUUID();
        Keys.Key key = Keys.create(tenant);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(LocalStackKafka.admin(TestStack.KAFKA, Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "gateway-trace-" + UUID.randomUUID(),
                // From the start, filtered by the fresh tenant: "latest" raced the event, which leaves at commit,
                // before the new consumer had resolved its position.
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.DATASET_VERSIONS));
            given().header("Authorization", key.bearer()).header("X-Request-Id", requestId)
                    .header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01")
                    .contentType("application/x-ndjson").body(Samples.transactions(20).getBytes(StandardCharsets.UTF_8))
                    .when().post("/v1/datasets/traced/versions?on_invalid=drop").then().statusCode(201);

            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value().contains("\"" + tenant + "\"")) {
                        assertEquals(requestId, header(record, PlatformHeaders.REQUEST_ID));
                        String traceparent = header(record, PlatformHeaders.TRACEPARENT);
                        assertTrue(traceparent.startsWith("00-" + TRACE_ID + "-"), traceparent);
                        awaitPublishSpan(traceparent.split("-")[2]);
                        return;
                    }
                }
            }
            fail("no dataset event for tenant " + tenant + " on " + Topics.DATASET_VERSIONS);
        }
    }

    /** The record's parent is dataset-service's send of it from the outbox, a span of the client's trace. */
    private static void awaitPublishSpan(String spanId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (TestStack.traces.trace(TRACE_ID).stream().anyMatch(s -> s.spanId().equals(spanId)
                    && s.service().equals("dataset-service") && s.name().equals(Topics.DATASET_VERSIONS + " publish"))) {
                return;
            }
            Training.sleep();
        }
        fail("no dataset-service span " + spanId + " (the outbox's send) in trace " + TRACE_ID + ": "
                + TestStack.traces.trace(TRACE_ID));
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
