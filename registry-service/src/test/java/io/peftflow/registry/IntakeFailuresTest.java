package io.peftflow.registry;

import io.peftflow.events.Topics;
import io.peftflow.events.adapter.AdapterEvent;
import io.peftflow.events.adapter.AdapterRegistrationFailed;
import io.peftflow.events.adapter.AdapterVersionRegistered;
import io.peftflow.events.training.JobSucceeded;
import io.peftflow.kit.LocalStackKafka;
import io.peftflow.kit.storage.ObjectStore;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The registry's intake under the failure policy, on the real stack: PostgreSQL stopped mid-registration is waited
 * out and the job registered once it is back; a record that can never register is dead-lettered with its reason; an
 * adapter name no adapter can have is a refusal with its event. The channel keeps running through all of it.
 */
@QuarkusTest
class IntakeFailuresTest {
    @Inject
    ObjectStore store;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mp.messaging.incoming.training-events.topic")
    String trainingTopic;

    private JobSucceeded job(String adapter) {
        String jobId = "job-" + UUID.randomUUID();
        TrainedAdapter.publishFiles(store, RegistrationTest.TENANT, jobId);
        return TrainedAdapter.succeeded(RegistrationTest.TENANT, adapter, jobId, TrainedAdapter.BASE,
                TrainedAdapter.metrics(0.8, 0.5));
    }

    private void publish(JobSucceeded job) {
        AdapterEventsOnKafka.publish(bootstrap, trainingTopic, job.key(), job.toCloudEvent("/trainer-service"));
    }

    private List<AdapterEvent> registered(String adapter, Duration timeout) {
        return AdapterEventsOnKafka.await(bootstrap, RegistrationTest.TENANT, adapter, 1,
                e -> e instanceof AdapterVersionRegistered, timeout);
    }

    @Test
    void postgresStoppedMidRegistrationIsWaitedOut() throws Exception {
        // The channel has its partitions before the outage.
        String warm = RegistrationTest.unique("warm");
        publish(job(warm));
        assertEquals(1, registered(warm, Duration.ofSeconds(60)).size());

        String adapter = RegistrationTest.unique("pgdown");
        try {
            stack("down", "postgres");
            publish(job(adapter));
            Thread.sleep(4000); // staged from S3, then the reservation fails, several times
        } finally {
            stack("up", "postgres");
        }
        assertEquals(1, registered(adapter, Duration.ofSeconds(90)).size(), "registered once PostgreSQL is back");
        String after = RegistrationTest.unique("after");
        publish(job(after));
        assertEquals(1, registered(after, Duration.ofSeconds(60)).size(), "the channel still runs");
        assertEquals(List.of(), deadLetters(adapter, Duration.ofSeconds(2)), "nothing of the outage dead-lettered");
    }

    @Test
    void whatCanNeverRegisterIsDeadLetteredOrRefusedAndTheChannelGoesOn() {
        String key = RegistrationTest.TENANT + "/poison-" + UUID.randomUUID();
        AdapterEventsOnKafka.publish(bootstrap, trainingTopic, key, "{not a cloud event");
        JobSucceeded badTenant = TrainedAdapter.succeeded("Bad Tenant", "x", "job-" + UUID.randomUUID(),
                TrainedAdapter.BASE, TrainedAdapter.metrics(0.8, 0.5));
        publish(badTenant);
        JobSucceeded badName = job("Transactions_Seq");
        publish(badName);

        List<AdapterEvent> refused = AdapterEventsOnKafka.await(bootstrap, RegistrationTest.TENANT, "Transactions_Seq",
                1, e -> e instanceof AdapterRegistrationFailed f && f.jobId().equals(badName.jobId()),
                Duration.ofSeconds(60));
        assertEquals(1, refused.size());
        assertTrue(((AdapterRegistrationFailed) refused.get(0)).reason().startsWith("adapter_name must be"),
                refused.toString());
        List<ConsumerRecord<String, String>> poison = deadLetters(key, Duration.ofSeconds(30));
        assertEquals(1, poison.size());
        assertTrue(header(poison.get(0), "dead-letter-reason").contains("not a CloudEvent"));
        List<ConsumerRecord<String, String>> tenant = deadLetters(badTenant.key(), Duration.ofSeconds(30));
        assertEquals(1, tenant.size());
        assertTrue(header(tenant.get(0), "dead-letter-reason").startsWith("tenant must be"),
                header(tenant.get(0), "dead-letter-reason"));

        String after = RegistrationTest.unique("after-poison");
        publish(job(after));
        assertEquals(1, registered(after, Duration.ofSeconds(60)).size(), "the channel still runs");
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }

    private List<ConsumerRecord<String, String>> deadLetters(String key, Duration timeout) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(LocalStackKafka.admin(bootstrap, Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "registry-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.REGISTRY_DEAD_LETTERS));
            List<ConsumerRecord<String, String>> found = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && found.isEmpty()) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                    if (key.equals(r.key())) {
                        found.add(r);
                    }
                });
            }
            return found;
        }
    }

    /** scripts/stack.sh, from the repository root above the module's directory. */
    private static void stack(String... args) throws Exception {
        File root = new File(System.getProperty("user.dir")).getAbsoluteFile();
        while (root != null && !new File(root, "scripts/stack.sh").isFile()) {
            root = root.getParentFile();
        }
        if (root == null) {
            fail("no scripts/stack.sh above " + System.getProperty("user.dir"));
        }
        List<String> command = new java.util.ArrayList<>(List.of("bash", "scripts/stack.sh"));
        command.addAll(List.of(args));
        if (new ProcessBuilder(command).directory(root).inheritIO().start().waitFor() != 0) {
            fail("scripts/stack.sh " + String.join(" ", args) + " failed");
        }
    }
}
