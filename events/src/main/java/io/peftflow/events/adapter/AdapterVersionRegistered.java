package io.peftflow.events.adapter;

import io.peftflow.events.EventTypes;
import io.peftflow.events.training.DatasetRef;
import io.peftflow.events.training.JobSucceeded;
import io.peftflow.events.training.RunMetrics;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * {@code adapter.version-registered}: a trained adapter is stored as version {@code version}, checked against its base
 * model and ready to serve.
 *
 * @param files  the version's objects under {@code s3://peftflow-adapters/<tenant>/<adapter>/v<N>/}, with SHA-256
 * @param role   {@code champion} when the promotion policy made it the champion at once, else {@code challenger}
 * @param reason the promotion decision in words
 */
public record AdapterVersionRegistered(String tenant, String adapter, int version, String jobId, String method,
                                       String baseModel, DatasetRef dataset, RunMetrics metrics,
                                       List<JobSucceeded.StoredFile> files, String role, String reason,
                                       OffsetDateTime registeredAt) implements AdapterEvent {
    public AdapterVersionRegistered {
        files = List.copyOf(files);
    }

    @Override
    public String type() {
        return EventTypes.ADAPTER_VERSION_REGISTERED;
    }

    @Override
    public String discriminator() {
        return "v" + version;
    }
}
