package io.peftflow.kit;

import io.peftflow.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Kafka's authentication and ACLs on the local stack (SECURITY.md "Least privilege"; the users and ACLs of
 * k8s/components/kafka-access/kafka-access.sh): no client gets in without credentials, and a service's user may write
 * only its own topics and read only what it consumes, with its own consumer groups.
 */
class KafkaAccessTest {
    private static final String BOOTSTRAP = LocalStackKafka.BOOTSTRAP;
    /** A refusal comes at once; an allowed send may wait for a new topic's leader on a loaded machine. */
    private static final Map<String, Object> PRODUCER = Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000,
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
            ProducerConfig.LINGER_MS_CONFIG, 0);

    @Test
    void aClientWithoutCredentialsIsRefused() {
        try (Admin anonymous = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000))) {
            // The SASL listener drops a connection that does not authenticate first: the client never gets an answer.
            assertThrows(ExecutionException.class, () -> anonymous.listTopics().names().get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        try (var producer = producer("trainer-service", "not-the-password")) {
            Exception e = assertThrows(Exception.class, () -> send(producer, Topics.TRAINING_EVENTS));
            assertInstanceOf(SaslAuthenticationException.class, rootCause(e), e.toString());
        }
    }

    @Test
    void aServiceWritesItsOwnTopicsOnly() {
        try (var trainer = producer("trainer-service", "trainer-kafka-local")) {
            assertDoesNotThrow(() -> send(trainer, Topics.TRAINING_EVENTS + ".test-acl-" + UUID.randomUUID()));
            // The registry's answer and the dataset-service's announcement cannot be forged by the trainer.
            assertRefused(() -> send(trainer, Topics.ADAPTER_EVENTS));
            assertRefused(() -> send(trainer, Topics.DATASET_VERSIONS));
        }
        try (var registry = producer("registry-service", "registry-kafka-local")) {
            assertRefused(() -> send(registry, Topics.TRAINING_EVENTS));
        }
        try (var datasets = producer("dataset-service", "dataset-kafka-local")) {
            assertRefused(() -> send(datasets, Topics.TRAINING_REQUESTS));
        }
        try (var inference = producer("inference-service", "inference-kafka-local")) {
            assertRefused(() -> send(inference, Topics.ADAPTER_EVENTS));
        }
    }

    @Test
    void aServiceReadsOnlyWhatItConsumesInItsOwnGroups() throws Exception {
        String adapterEvents = Topics.ADAPTER_EVENTS + ".test-acl-" + UUID.randomUUID();
        String datasetVersions = Topics.DATASET_VERSIONS + ".test-acl-" + UUID.randomUUID();
        try (Admin admin = Admin.create(LocalStackKafka.admin(BOOTSTRAP, Map.of()))) {
            admin.createTopics(List.of(new NewTopic(adapterEvents, 1, (short) 1), new NewTopic(datasetVersions, 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        // inference-service reads adapter events only, and only in groups named after it.
        assertDoesNotThrow(() -> poll("inference-service", "inference-kafka-local", "inference-service-acl-test", adapterEvents));
        assertThrows(TopicAuthorizationException.class,
                () -> poll("inference-service", "inference-kafka-local", "inference-service-acl-test", datasetVersions));
        assertThrows(GroupAuthorizationException.class,
                () -> poll("inference-service", "inference-kafka-local", "trainer-service", adapterEvents));
    }

    private static KafkaProducer<String, String> producer(String user, String password) {
        return new KafkaProducer<>(LocalStackKafka.user(BOOTSTRAP, user, password, PRODUCER),
                new StringSerializer(), new StringSerializer());
    }

    private static void send(KafkaProducer<String, String> producer, String topic) throws Exception {
        producer.send(new ProducerRecord<>(topic, "acl-test", "{}")).get(40, TimeUnit.SECONDS);
    }

    private static void poll(String user, String password, String group, String topic) {
        try (var consumer = new KafkaConsumer<>(LocalStackKafka.user(BOOTSTRAP, user, password, Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500));
            }
        }
    }

    private static void assertRefused(org.junit.jupiter.api.function.Executable send) {
        Exception e = assertThrows(Exception.class, send);
        // Topic authorization; or, for a user that may write nothing (inference-service), already the cluster's refusal
        // of an idempotent producer id.
        assertInstanceOf(AuthorizationException.class, rootCause(e), e.toString());
    }

    private static Throwable rootCause(Throwable e) {
        while (e.getCause() != null && e.getCause() != e) {
            e = e.getCause();
        }
        return e;
    }
}
