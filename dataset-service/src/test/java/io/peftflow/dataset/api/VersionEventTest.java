package io.peftflow.dataset.api;

import io.peftflow.events.CloudEvent;
import io.peftflow.events.EventCodec;
import io.peftflow.events.EventTypes;
import io.peftflow.events.Topics;
import io.peftflow.events.dataset.DatasetVersionDeleted;
import io.peftflow.events.dataset.DatasetVersionReady;
import io.peftflow.kit.LocalStackKafka;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.peftflow.dataset.api.TestData.labelled;
import static io.peftflow.dataset.api.TestData.lines;
import static io.peftflow.dataset.api.TestData.uniqueName;
import static io.peftflow.dataset.api.UploadApiTest.upload;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The version-ready event on Kafka: its content, and its delivery through the outbox across a broker outage. */
@QuarkusTest
class VersionEventTest {
    private static final String TENANT = "events";

    @Inject
    Stored stored;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void readyVersionIsAnnouncedWithItsContent() {
        String name = uniqueName("evt");
        JsonPath v = upload(TENANT, name, lines(0, 40, i -> labelled(i, i % 4 == 0 ? "travel" : "food")), "?balance=class_weights&seed=9");
        CloudEvent event = consume(DatasetVersionReady.eventId(TENANT, name, 1), Duration.ofSeconds(60));
        assertEquals(EventTypes.DATASET_VERSION_READY, event.type());
        assertEquals("datasets/" + TENANT + "/" + name + "/1", event.subject());
        DatasetVersionReady ready = EventCodec.payload(event, DatasetVersionReady.class);
        ready.validate(); // what every consumer checks (contract test: the real producer's event is accepted)
        assertEquals(TENANT, ready.tenant());
        assertEquals(name, ready.dataset());
        assertEquals(1, ready.version());
        assertEquals("prompt_completion", ready.format());
        assertEquals(v.getString("uris.train"), ready.uris().train());
        assertEquals(v.getString("uris.report"), ready.uris().report());
        assertEquals(v.getString("sha256.validation"), ready.sha256().validation());
        assertEquals(v.getString("sha256.raw"), ready.sha256().raw());
        assertEquals(40L, ready.counts().valid());
        assertEquals(v.getLong("trainExamples"), ready.counts().train());
        assertEquals(v.getLong("summary.labels.food.validation"), ready.labels().get("food").validation());
        assertEquals(Map.of("food", v.getDouble("summary.classWeights.food"), "travel", v.getDouble("summary.classWeights.travel")),
                ready.classWeights());
        assertEquals("characters", ready.lengthUnit());
        assertEquals("class_weights", ready.balance());
    }

    /** A soft delete is announced once, after the version's ready event, on the same key. */
    @Test
    void softDeleteIsAnnouncedOnce() {
        String name = uniqueName("del");
        upload(TENANT, name, lines(0, 20, i -> labelled(i, "x")), "");
        for (int i = 0; i < 2; i++) {
            given().header("X-Tenant", TENANT).when().delete("/datasets/{n}/versions/1", name).then().statusCode(204);
        }
        CloudEvent event = consume(DatasetVersionDeleted.eventId(TENANT, name, 1), Duration.ofSeconds(60));
        assertEquals(EventTypes.DATASET_VERSION_DELETED, event.type());
        DatasetVersionDeleted deleted = EventCodec.payload(event, DatasetVersionDeleted.class);
        deleted.validate();
        assertEquals(TENANT, deleted.tenant());
        assertEquals(name, deleted.dataset());
        assertEquals(1, deleted.version());
        assertTrue(deleted.deletedAt() != null);
        assertEquals(2, stored.count("select count(*) from outbox_event where record_key = ?", TENANT + "/" + name),
                "one ready and one deleted event, however often it is deleted");
    }

    /**
     * Stops the broker: the service stays ready, uploads still succeed (201), Kafka's own check is down and the
     * backlog gauge grows; after a restart the event is delivered.
     */
    @Test
    void outboxDeliversAfterKafkaComesBack() throws Exception {
        String name = uniqueName("outage");
        String eventId = DatasetVersionReady.eventId(TENANT, name, 1);
        try {
            stack("down", "kafka");
            given().when().get("/q/health/well").then().statusCode(503)
                    .body("checks.find { it.name == 'Kafka (outbox relay)' }.status", is("DOWN"));
            double before = pendingGauge();
            upload(TENANT, name, lines(0, 20, i -> labelled(i, "x")), "");
            given().when().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (pendingGauge() < before + 1) {
                assertTrue(System.nanoTime() < deadline, "the backlog gauge never grew past " + before);
                Thread.sleep(200);
            }
            assertEquals(1, stored.count("select count(*) from outbox_event where id = ? and sent_at is null", eventId),
                    "event waits in the outbox while Kafka is down");
        } finally {
            stack("up", "kafka");
        }
        consume(eventId, Duration.ofSeconds(90));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (stored.count("select count(*) from outbox_event where id = ? and sent_at is not null", eventId) == 0) {
            assertTrue(System.nanoTime() < deadline, "outbox row never marked sent");
            Thread.sleep(200);
        }
    }

    private static double pendingGauge() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("peftflow_outbox_pending ")).mapToDouble(l ->
                Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElse(0);
    }

    private CloudEvent consume(String eventId, Duration timeout) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(LocalStackKafka.admin(bootstrap, Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "dataset-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.DATASET_VERSIONS));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    CloudEvent event = EventCodec.decode(record.value());
                    if (event.id().equals(eventId)) {
                        return event;
                    }
                }
            }
        }
        return fail("event " + eventId + " never reached " + Topics.DATASET_VERSIONS);
    }

    /** Runs scripts/stack.sh from the repository root (found above the module's working directory). */
    private static void stack(String... args) throws IOException, InterruptedException {
        File root = new File(System.getProperty("user.dir")).getAbsoluteFile();
        while (root != null && !new File(root, "scripts/stack.sh").isFile()) {
            root = root.getParentFile();
        }
        if (root == null) {
            fail("no scripts/stack.sh above " + System.getProperty("user.dir"));
        }
        List<String> command = new java.util.ArrayList<>(List.of("bash", "scripts/stack.sh"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(root).inheritIO().start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroy();
            fail("scripts/stack.sh " + String.join(" ", args) + " failed");
        }
    }
}
