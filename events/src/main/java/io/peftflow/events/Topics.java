package io.peftflow.events;

/** Kafka topic names: the one place they are spelled. */
public final class Topics {
    /** dataset-service announces each dataset version once all of it is stored. */
    public static final String DATASET_VERSIONS = "peftflow.dataset-versions";
    /** Requests to train an adapter (from the gateway, or the registry's retrain policy). */
    public static final String TRAINING_REQUESTS = "peftflow.training-requests";
    /** trainer-service's job lifecycle: progress, metrics, completion, failure. */
    public static final String TRAINING_EVENTS = "peftflow.training-events";
    /** registry-service's adapter versions and promotions. */
    public static final String ADAPTER_EVENTS = "peftflow.adapter-events";
    /**
     * Records trainer-service's intake can never process (unreadable, or values its database refuses), with the
     * reason and the original topic, partition and offset in their {@code dead-letter-*} headers.
     */
    public static final String TRAINER_DEAD_LETTERS = "peftflow.trainer.dead-letters";
    /** The same for registry-service's intake: training events that can never register, and forged ones (files
     * outside their job's own prefix), kept to investigate or replay. */
    public static final String REGISTRY_DEAD_LETTERS = "peftflow.registry.dead-letters";

    private Topics() {
    }
}
