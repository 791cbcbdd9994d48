package io.peftflow.events.training;

import io.peftflow.events.EventTypes;
import io.peftflow.events.contract.Tenant;
import io.peftflow.events.contract.Validated;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * {@code training.job-succeeded}: the adapter is trained and stored. Everything registry-service needs to register
 * it as a version: its files (checked against their SHA-256 on arrival), metrics and lineage.
 *
 * @param adapterFiles the PEFT adapter directory: {@code adapter_config.json}, {@code adapter_model.safetensors}
 * @param manifest     peft-core's run manifest ({@code manifest.json})
 * @param metricsFile  {@code metrics.json}: the same {@code metrics} as a file beside the adapter
 * @param trainedTokens real (unpadded) tokens of every applied update, resumed attempts included; null in events of
 *                      releases before it
 */
public record JobSucceeded(String jobId, String tenant, String adapterName, List<StoredFile> adapterFiles,
                           StoredFile manifest, StoredFile metricsFile, RunMetrics metrics, Lineage lineage,
                           long trainableParameters, int steps, OffsetDateTime finishedAt, Long trainedTokens)
        implements TrainingJobEvent, Validated {

    public JobSucceeded {
        adapterFiles = List.copyOf(adapterFiles);
    }

    /**
     * The tenant and the job: what a refusal needs to reach the job. The rest (the adapter name, the files' URIs and
     * hashes) is the registry's to check; what does not pass is a refused registration the job shows, not an
     * unreadable record.
     */
    @Override
    public void validate() {
        Tenant.check("tenant", tenant);
        Validated.id("job_id", jobId);
    }

    /** An object in S3 with its hex SHA-256 and size. */
    public record StoredFile(String name, String uri, String sha256, long bytes) {
    }

    /**
     * Where the adapter came from.
     *
     * @param method the method's wire name and its full PEFT config as saved in {@code adapter_config.json}
     * @param libraries versions of peft-core, DJL and PyTorch that trained it
     * @param datasetDeletedAt when the dataset version was deleted, if that happened while the job ran (null
     *                         otherwise): the registry marks such an adapter and never promotes it
     * @param parent           the adapter version whose weights training started from (a warm start); null for a
     *                         cold start and in events of releases before warm starts
     * @param stackedOn        the registered adapter versions the adapter was trained on top of, frozen, bottom first
     *                         ({@code stack_on}, every layer's own stack included): it is served as this stack with
     *                         itself on top; empty when it was trained on the bare base model
     */
    public record Lineage(DatasetRef dataset, BaseModel baseModel, TrainingRequested.MethodSpec method,
                          TrainingSettings training, long seed, Libraries libraries, OffsetDateTime datasetDeletedAt,
                          Parent parent, List<Parent> stackedOn) {

        public Lineage {
            stackedOn = stackedOn == null ? List.of() : List.copyOf(stackedOn);
        }

        /** A lineage without a stack (the shape before {@code stack_on}). */
        public Lineage(DatasetRef dataset, BaseModel baseModel, TrainingRequested.MethodSpec method,
                       TrainingSettings training, long seed, Libraries libraries, OffsetDateTime datasetDeletedAt,
                       Parent parent) {
            this(dataset, baseModel, method, training, seed, libraries, datasetDeletedAt, parent, List.of());
        }

        /** A cold start's lineage (the shape before warm starts). */
        public Lineage(DatasetRef dataset, BaseModel baseModel, TrainingRequested.MethodSpec method,
                       TrainingSettings training, long seed, Libraries libraries, OffsetDateTime datasetDeletedAt) {
            this(dataset, baseModel, method, training, seed, libraries, datasetDeletedAt, null);
        }
    }

    /**
     * A registered adapter version a job loaded: the warm start's parent, or a frozen layer of its stack.
     *
     * @param jobId the job that trained it
     */
    public record Parent(String adapter, int version, String jobId) {
    }

    /** A base model by its registry name and the hash of its weights. */
    public record BaseModel(String id, String weightsSha256) {
    }

    public record Libraries(String peftCore, String djl, String pytorch) {
    }

    @Override
    public String type() {
        return EventTypes.TRAINING_JOB_SUCCEEDED;
    }
}
