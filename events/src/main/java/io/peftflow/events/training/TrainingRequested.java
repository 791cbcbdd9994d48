package io.peftflow.events.training;

import com.fasterxml.jackson.databind.JsonNode;
import io.peftflow.events.EventIds;
import io.peftflow.events.contract.ResourceName;
import io.peftflow.events.contract.Tenant;
import io.peftflow.events.contract.Validated;

import java.time.OffsetDateTime;

/**
 * Payload of {@link io.peftflow.events.EventTypes#TRAINING_REQUESTED} on
 * {@link io.peftflow.events.Topics#TRAINING_REQUESTS}: a request to train one adapter. trainer-service turns each
 * request into at most one job, keyed on {@code requestId}.
 *
 * @param requestId    idempotency key (required): the client's {@code Idempotency-Key}, or a policy's id for a dataset
 *                     version
 * @param origin       who asked: {@code api} or {@code policy}
 * @param dataset      the dataset version to train on; {@code version} 0 means the latest ready one
 * @param method       the PEFT method and its hyperparameters
 */
public record TrainingRequested(
        String requestId,
        String tenant,
        String origin,
        String adapterName,
        DatasetRef dataset,
        String baseModel,
        MethodSpec method,
        TrainingSettings training,
        long seed,
        OffsetDateTime requestedAt) implements Validated {

    public static final String ORIGIN_API = "api";
    public static final String ORIGIN_POLICY = "policy";

    /** Who and on what: the rest (method, model, adapter name) is checked like a REST request's, failing the job. */
    @Override
    public void validate() {
        Tenant.check("tenant", tenant);
        Validated.id("request_id", requestId);
        if (dataset == null) {
            throw new io.peftflow.events.contract.InvalidValue("dataset", "dataset is required");
        }
        ResourceName.check("dataset.name", dataset.name());
    }

    /** The CloudEvent id: one per request, whatever the redelivery. */
    public static String eventId(String tenant, String requestId) {
        return EventIds.of("training-requested", tenant, requestId);
    }

    /**
     * A PEFT method by its wire name ({@code lora}, {@code seq_bn}, {@code double_seq_bn}, {@code prompt_tuning}) and
     * its hyperparameters as PEFT's own {@code adapter_config.json} keys (e.g. {@code r}, {@code lora_alpha},
     * {@code target_modules}): a JSON object, because each method has its own keys and peft-core validates them.
     */
    public record MethodSpec(String name, JsonNode config) {
    }
}
