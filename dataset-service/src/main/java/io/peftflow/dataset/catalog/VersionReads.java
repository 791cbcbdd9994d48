package io.peftflow.dataset.catalog;

import com.fasterxml.jackson.core.type.TypeReference;
import io.peftflow.kit.db.SqlReads;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The API's reads of versions, each one SQL statement outside a transaction ({@link SqlReads}), mapped to detached
 * entities for the views (without {@code labelCounts}: the views show the summary, which holds them). Changes go
 * through {@link VersionRepository}'s managed entities.
 */
@ApplicationScoped
public class VersionReads {
    private static final String VISIBLE = SqlReads.in("v.status", VersionRepository.VISIBLE);
    private static final String SELECT = """
            SELECT d.id AS d_id, d.tenant, d.name, d.split_seed, d.validation_fraction, d.created_at AS d_created_at,
                   v.id, v.version, v.status, v.format, v.balance, v.seed, v.base_model, v.raw_key, v.raw_bytes,
                   v.raw_sha256, v.train_sha256, v.validation_sha256, v.report_sha256, v.lines, v.invalid_lines,
                   v.train_examples, v.validation_examples, v.summary, v.created_at, v.ready_at,
                   v.deleted_at""";
    private static final String FROM = " FROM dataset_version v JOIN dataset d ON d.id = v.dataset_id"
            + " WHERE d.tenant = ? AND d.name = ? AND " + VISIBLE;

    private final SqlReads sql;

    public VersionReads(SqlReads sql) {
        this.sql = sql;
    }

    public Optional<DatasetVersion> visible(String tenant, String name, int version) {
        return sql.one(SELECT + FROM + " AND v.version = ?", VersionReads::version, tenant, name, version);
    }

    /** A page of the visible versions, oldest first. */
    public List<DatasetVersion> page(String tenant, String name, int afterVersion, int limit) {
        return sql.list(SELECT + FROM + " AND v.version > ? ORDER BY v.version LIMIT ?", VersionReads::version, tenant,
                name, afterVersion, limit);
    }

    /**
     * The tenant's ready versions of every dataset, newest first, from the one before row {@code beforeId} (null: the
     * newest): the files API's listing.
     */
    public List<DatasetVersion> newestFirst(String tenant, Long beforeId, int limit) {
        String from = " FROM dataset_version v JOIN dataset d ON d.id = v.dataset_id WHERE d.tenant = ? AND "
                + SqlReads.in("v.status", List.of(VersionStatus.READY));
        return beforeId == null
                ? sql.list(SELECT + from + " ORDER BY v.id DESC LIMIT ?", VersionReads::version, tenant, limit)
                : sql.list(SELECT + from + " AND v.id < ? ORDER BY v.id DESC LIMIT ?", VersionReads::version, tenant,
                beforeId, limit);
    }

    /** The newest visible version with its dataset and how many visible versions there are. */
    public record Latest(DatasetVersion version, long count) {
    }

    /**
     * {@link Latest} in one statement whatever the number of versions: the count is kept on the dataset row, and the
     * newest version is the first visible one walking the (dataset, version) index backwards.
     */
    public Optional<Latest> latest(String tenant, String name) {
        return sql.one(SELECT + ", d.visible_versions FROM dataset d CROSS JOIN LATERAL (SELECT * FROM dataset_version v"
                        + " WHERE v.dataset_id = d.id AND " + VISIBLE + " ORDER BY v.version DESC LIMIT 1) v"
                        + " WHERE d.tenant = ? AND d.name = ?",
                r -> new Latest(version(r), r.integer("visible_versions")), tenant, name);
    }

    private static DatasetVersion version(SqlReads.Row r) throws SQLException {
        Dataset d = new Dataset();
        d.id = r.bigint("d_id");
        d.tenant = r.string("tenant");
        d.name = r.string("name");
        d.splitSeed = r.bigint("split_seed");
        d.validationFraction = r.real("validation_fraction");
        d.createdAt = r.time("d_created_at");
        DatasetVersion v = new DatasetVersion();
        v.dataset = d;
        v.id = r.bigint("id");
        v.version = r.integer("version");
        v.status = VersionStatus.valueOf(r.string("status"));
        v.format = r.string("format");
        v.balance = r.string("balance");
        v.seed = r.bigint("seed");
        v.baseModel = r.string("base_model");
        v.rawKey = r.string("raw_key");
        v.rawBytes = r.bigint("raw_bytes");
        v.rawSha256 = r.string("raw_sha256");
        v.trainSha256 = r.string("train_sha256");
        v.validationSha256 = r.string("validation_sha256");
        v.reportSha256 = r.string("report_sha256");
        v.lines = r.bigint("lines");
        v.invalidLines = r.bigint("invalid_lines");
        v.trainExamples = r.bigint("train_examples");
        v.validationExamples = r.bigint("validation_examples");
        v.summary = r.json("summary", new TypeReference<Map<String, Object>>() { });
        v.createdAt = r.time("created_at");
        v.readyAt = r.time("ready_at");
        v.deletedAt = r.time("deleted_at");
        return v;
    }
}
