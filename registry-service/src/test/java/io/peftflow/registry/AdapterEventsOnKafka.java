package io.peftflow.registry;

import io.peftflow.events.CloudEvent;
import io.peftflow.events.EventCodec;
import io.peftflow.events.Topics;
import io.peftflow.events.adapter.AdapterEvent;
import io.peftflow.kit.LocalStackKafka;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

/** The test's side of Kafka: publishing training events, reading the registry's adapter events. */
public final class AdapterEventsOnKafka {
    private AdapterEventsOnKafka() {
    }

    public static void publish(String bootstrap, String topic, String key, CloudEvent event) {
        publish(bootstrap, topic, key, EventCodec.encode(event));
    }

    /** A record as it is, readable or not. */
    public static void publish(String bootstrap, String topic, String key, String value) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(LocalStackKafka.admin(bootstrap, Map.of()), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("cannot publish to " + topic, e);
        }
    }

    /** The envelopes on {@code topic} under {@code key}, read from the start until {@code count} arrived. */
    public static List<CloudEvent> records(String bootstrap, String topic, String key, int count, Duration timeout) {
        List<CloudEvent> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(LocalStackKafka.admin(bootstrap, Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "registry-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && found.size() < count) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(record.key())) {
                        found.add(EventCodec.decode(record.value()));
                    }
                }
            }
        }
        return found;
    }

    /** Adapter events of one adapter matching {@code filter}, read from the start until {@code count} arrived. */
    public static List<AdapterEvent> await(String bootstrap, String tenant, String adapter, int count,
                                           Predicate<AdapterEvent> filter, Duration timeout) {
        List<AdapterEvent> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(LocalStackKafka.admin(bootstrap, Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "registry-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.ADAPTER_EVENTS));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && found.size() < count) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (!record.key().equals(tenant + "/" + adapter)) {
                        continue;
                    }
                    AdapterEvent e = AdapterEvent.from(EventCodec.decode(record.value()));
                    if (filter.test(e)) {
                        found.add(e);
                    }
                }
            }
            // Anything more that is already there (a duplicate would show up here).
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(1500))) {
                if (record.key().equals(tenant + "/" + adapter)) {
                    AdapterEvent e = AdapterEvent.from(EventCodec.decode(record.value()));
                    if (filter.test(e)) {
                        found.add(e);
                    }
                }
            }
        }
        return found;
    }
}
