package io.peftflow.registry.catalog;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;

/** An evaluation job requested before deciding on a challenger: both versions measured on one set. */
@Entity
@Table(name = "promotion_evaluation")
public class PromotionEvaluation extends PanacheEntityBase {
    public enum Status { PENDING, DONE, FAILED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String tenant;

    @Column(name = "adapter_id", nullable = false)
    public Long adapterId;

    @Column(name = "challenger_version", nullable = false)
    public int challengerVersion;

    @Column(name = "champion_version", nullable = false)
    public int championVersion;

    @Column(name = "request_id", nullable = false)
    public String requestId;

    @Column(name = "job_id", nullable = false)
    public String jobId;

    @Column(name = "dataset_name", nullable = false)
    public String datasetName;

    @Column(name = "dataset_version", nullable = false)
    public int datasetVersion;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Status status;

    /** The trainer's EvaluationSucceeded. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public Map<String, Object> result;

    @Column(name = "failure_reason", columnDefinition = "text")
    public String failureReason;

    @Column(name = "requested_at", nullable = false)
    public OffsetDateTime requestedAt;

    @Column(name = "finished_at")
    public OffsetDateTime finishedAt;

    /** The evaluation whose trainer job is {@code jobId}, locked for the answer. */
    public static Optional<PromotionEvaluation> lockByJob(String tenant, String jobId) {
        return find("tenant = ?1 and jobId = ?2", tenant, jobId)
                .withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    /** How many evaluations were requested for this challenger so far (a re-request gets a new request id). */
    public static long requestsFor(Long adapterId, int challengerVersion) {
        return count("adapterId = ?1 and challengerVersion = ?2", adapterId, challengerVersion);
    }
}
