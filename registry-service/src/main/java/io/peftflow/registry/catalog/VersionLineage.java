package io.peftflow.registry.catalog;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.util.List;
import java.util.Map;

/** Where a version came from: its training job, dataset version, base model, method config and libraries. */
@Entity
@Table(name = "version_lineage")
public class VersionLineage extends PanacheEntityBase {
    /** The version's id. */
    @Id
    @Column(name = "version_id")
    public Long versionId;

    @Column(name = "job_id", nullable = false)
    public String jobId;

    @Column(name = "dataset_name")
    public String datasetName;

    @Column(name = "dataset_version")
    public Integer datasetVersion;

    @Column(name = "train_sha256")
    public String trainSha256;

    @Column(name = "validation_sha256")
    public String validationSha256;

    @Column(name = "base_model_id")
    public String baseModelId;

    @Column(name = "base_weights_sha256")
    public String baseWeightsSha256;

    @Column(name = "method_name")
    public String methodName;

    /** The method's full PEFT config as trained. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "method_config", columnDefinition = "jsonb")
    public Map<String, Object> methodConfig;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public Map<String, Object> training;

    public Long seed;

    /** The adapter version whose weights training started from (a warm start); null for a cold start. */
    @Column(name = "parent_adapter")
    public String parentAdapter;

    @Column(name = "parent_version")
    public Integer parentVersion;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public Map<String, Object> libraries;

    /**
     * The versions it was trained on top of, frozen, bottom first ({@code stack_on}); served beneath it. Empty or
     * null when it was trained on the bare base model.
     */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "stacked_on", columnDefinition = "jsonb")
    public List<Layer> stackedOn;

    /** A version of one of the tenant's adapters, as a layer of a stack. */
    public record Layer(String adapter, int version) {
        @Override
        public String toString() {
            return adapter + " v" + version;
        }
    }
}
