package io.peftflow.dataset.catalog;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import io.peftflow.dataset.storage.VersionKeys;
import io.peftflow.dataset.validation.LabelSplit;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/** One immutable version of a dataset: its objects' hashes, counts and report summary. */
@Entity
@Table(name = "dataset_version")
public class DatasetVersion extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "dataset_id")
    public Dataset dataset;

    @Column(nullable = false)
    public int version;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public VersionStatus status;

    public String format;

    @Column(nullable = false)
    public String balance;

    @Column(nullable = false)
    public long seed;

    @Column(name = "base_model")
    public String baseModel;

    @Column(name = "raw_key", nullable = false)
    public String rawKey;

    @Column(name = "raw_bytes")
    public Long rawBytes;

    @Column(name = "raw_sha256")
    public String rawSha256;

    @Column(name = "train_sha256")
    public String trainSha256;

    @Column(name = "validation_sha256")
    public String validationSha256;

    @Column(name = "report_sha256")
    public String reportSha256;

    public Long lines;

    @Column(name = "invalid_lines")
    public Long invalidLines;

    @Column(name = "train_examples")
    public Long trainExamples;

    @Column(name = "validation_examples")
    public Long validationExamples;

    /** Per label: train (after balancing), trainBeforeBalancing and validation counts. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "label_counts", columnDefinition = "jsonb")
    public Map<String, LabelSplit> labelCounts;

    /** The report without its line errors. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public Map<String, Object> summary;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "ready_at")
    public OffsetDateTime readyAt;

    @Column(name = "deleted_at")
    public OffsetDateTime deletedAt;

    /** Hex SHA-256 of the objects by name: raw, train, validation, report. */
    public Map<String, String> sha256() {
        Map<String, String> sha256 = new LinkedHashMap<>();
        sha256.put("raw", rawSha256);
        sha256.put("train", trainSha256);
        sha256.put("validation", validationSha256);
        sha256.put("report", reportSha256);
        return sha256;
    }

    public VersionKeys keys() {
        return VersionKeys.ofRawKey(dataset.tenant, dataset.name, version, rawKey);
    }
}
