package io.peftflow.kit.outbox;

import io.peftflow.events.CloudEvent;
import io.peftflow.events.EventCodec;
import io.peftflow.events.EventTypes;
import io.peftflow.kit.LocalStackKafka;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay under a poisoned row (subclassed with {@code @QuarkusTest} by a service; the test profile sets
 * max-attempts 3 and backoff from 200 ms): a row Kafka refuses (larger than the producer's 1 MiB request
 * limit) backs off and is dead-lettered, while other keys' rows are delivered meanwhile and its own key's
 * later row follows once it is dead, in order.
 */
public abstract class OutboxFaultsTest {

    @Inject
    Outbox outbox;

    @Inject
    EntityManager em;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    /** A topic the service produces (its Kafka user may write it and, by prefix, this test's own topics). */
    protected abstract String ownTopic();

    @Test
    void poisonedRowIsDeadLetteredWithoutBlockingTheOthers() {
        String topic = ownTopic() + ".test-poison-" + UUID.randomUUID();
        CloudEvent poison = EventCodec.wrap("/test", EventTypes.PING, "poison", Map.of("blob", "x".repeat(2 << 20)));
        CloudEvent afterPoison = EventCodec.wrap("/test", EventTypes.PING, "after-poison", Map.of("n", 2));
        CloudEvent otherKey = EventCodec.wrap("/test", EventTypes.PING, "other-key", Map.of("n", 3));
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(LocalStackKafka.admin(bootstrap, Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "poison-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            QuarkusTransaction.requiringNew().run(() -> {
                outbox.enqueue(topic, "a", poison);
                outbox.enqueue(topic, "a", afterPoison);
                outbox.enqueue(topic, "b", otherKey);
            });
            List<String> received = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (received.size() < 2 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(300))) {
                    received.add(EventCodec.decode(record.value()).id());
                }
            }
            // The two keys sit on different partitions, so the order of receipt says nothing; the relay's own
            // timestamps say when each row left.
            assertEquals(Set.of(otherKey.id(), afterPoison.id()), Set.copyOf(received), "the poisoned one never");
        }
        Object[] dead = QuarkusTransaction.requiringNew().call(() -> (Object[]) em.createNativeQuery(
                "SELECT attempts, dead_at, last_error, sent_at FROM outbox_event WHERE id = ?1")
                .setParameter(1, poison.id()).getSingleResult());
        assertEquals(3, ((Number) dead[0]).intValue());
        assertNotNull(dead[1], "dead-lettered");
        assertTrue(String.valueOf(dead[2]).contains("RecordTooLarge"), String.valueOf(dead[2]));
        assertEquals(null, dead[3]);
        Object[] order = QuarkusTransaction.requiringNew().call(() -> (Object[]) em.createNativeQuery("""
                SELECT o.sent_at < p.dead_at, a.sent_at > p.dead_at
                FROM outbox_event p, outbox_event o, outbox_event a WHERE p.id = ?1 AND o.id = ?2 AND a.id = ?3""")
                .setParameter(1, poison.id()).setParameter(2, otherKey.id()).setParameter(3, afterPoison.id())
                .getSingleResult());
        assertEquals(true, order[0], "the other key was sent before the poisoned row gave up");
        assertEquals(true, order[1], "the poisoned key's next event waited for it");
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("peftflow_outbox_dead_lettered ") && !l.endsWith(" 0.0")),
                "dead-lettered rows are in the metrics");
    }
}
