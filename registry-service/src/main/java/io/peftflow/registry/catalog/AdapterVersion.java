package io.peftflow.registry.catalog;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.peftflow.events.training.RunMetrics;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** One numbered version of an adapter: its files, metrics and registration outcome. */
@Entity
@Table(name = "adapter_version")
public class AdapterVersion extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(optional = false, fetch = FetchType.LAZY)
    @JoinColumn(name = "adapter_id")
    public Adapter adapter;

    @Column(nullable = false)
    public String tenant;

    @Column(nullable = false)
    public int version;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public VersionStatus status;

    @Column(name = "job_id", nullable = false)
    public String jobId;

    public String method;

    @Column(name = "base_model")
    public String baseModel;

    @Column(name = "dataset_name")
    public String datasetName;

    @Column(name = "dataset_version")
    public Integer datasetVersion;

    @Column(name = "trainable_parameters")
    public Long trainableParameters;

    public Integer steps;

    /** Bytes of the stored files together. */
    @Column(name = "size_bytes")
    public Long sizeBytes;

    @Column(name = "exact_match")
    public Double exactMatch;

    @Column(name = "macro_exact_match")
    public Double macroExactMatch;

    @Column(name = "eval_loss")
    public Double evalLoss;

    public Double perplexity;

    @Column(name = "token_accuracy")
    public Double tokenAccuracy;

    /** The event's RunMetrics: base, tuned and the majority baseline. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public Map<String, Object> metrics;

    /** The stored files: name, uri, sha256, bytes. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public List<Map<String, Object>> files;

    @Column(name = "failure_reason", columnDefinition = "text")
    public String failureReason;

    /** The promotion decision at registration, in words. */
    @Column(name = "promotion_reason", columnDefinition = "text")
    public String promotionReason;

    /**
     * The like-for-like measurement behind the promotion decision (Promoter.Measured: the evaluation set, both
     * versions' numbers, the difference, the interval); null for a first version or while its evaluation runs.
     */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public Map<String, Object> decision;

    /** When the dataset version it was trained on was deleted (during training): never promoted. */
    @Column(name = "dataset_deleted_at")
    public OffsetDateTime datasetDeletedAt;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "ready_at")
    public OffsetDateTime readyAt;

    @Column(name = "archived_at")
    public OffsetDateTime archivedAt;

    /** The tuned model's metrics from their columns (null for a failed registration without metrics). */
    public RunMetrics.EvalMetrics tuned() {
        if (evalLoss == null) {
            return null;
        }
        return new RunMetrics.EvalMetrics(evalLoss, perplexity == null ? Double.NaN : perplexity,
                tokenAccuracy == null ? Double.NaN : tokenAccuracy, exactMatch, macroExactMatch);
    }

    /** The stored files' names, in the order they were registered. */
    public List<String> fileNames() {
        return files == null ? List.of() : files.stream().map(f -> (String) f.get("name")).toList();
    }
}
