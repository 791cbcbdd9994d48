package io.peftflow.registry.catalog;

import com.fasterxml.jackson.core.type.TypeReference;
import io.peftflow.kit.db.SqlReads;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The API's reads of a version's detail: adapter, version, lineage, aliases and tags in one SQL statement outside a
 * transaction ({@link SqlReads}), mapped to detached entities for the views. Changes go through the repositories'
 * managed entities.
 */
@ApplicationScoped
public class VersionReads {
    private static final String VISIBLE = SqlReads.in("v.status", VersionRepository.VISIBLE);
    private static final String SELECT = """
            SELECT a.id AS adapter_id, v.id, v.version, v.status, v.job_id, v.method, v.base_model, v.dataset_name,
                   v.dataset_version, v.trainable_parameters, v.steps, v.size_bytes, v.exact_match,
                   v.macro_exact_match, v.eval_loss, v.perplexity, v.token_accuracy, v.metrics, v.files,
                   v.failure_reason, v.promotion_reason, v.decision, v.created_at, v.ready_at, v.archived_at,
                   v.dataset_deleted_at,
                   l.version_id AS lineage_version_id, l.job_id AS lineage_job_id,
                   l.dataset_name AS lineage_dataset_name, l.dataset_version AS lineage_dataset_version,
                   l.train_sha256, l.validation_sha256, l.base_model_id, l.base_weights_sha256, l.method_name,
                   l.method_config, l.training, l.seed, l.libraries, l.parent_adapter, l.parent_version, l.stacked_on,
                   (SELECT json_agg(json_build_array(x.alias, x.version) ORDER BY x.alias)
                    FROM adapter_alias x WHERE x.adapter_id = a.id) AS aliases,
                   (SELECT json_agg(json_build_array(t.key, t.value) ORDER BY t.key)
                    FROM version_tag t WHERE t.version_id = v.id) AS tags""";

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() { };
    private static final TypeReference<List<Map<String, Object>>> FILES = new TypeReference<>() { };
    private static final TypeReference<List<List<Object>>> PAIRS = new TypeReference<>() { };
    private static final TypeReference<List<VersionLineage.Layer>> LAYERS = new TypeReference<>() { };

    private final SqlReads sql;

    public VersionReads(SqlReads sql) {
        this.sql = sql;
    }

    /**
     * What a read of one version found when the adapter exists: the version's detail, or null when it has no such
     * (listed) version; for an alias, the version it points at, or null when there is no such alias.
     */
    public record Found(Integer aliasVersion, AdapterService.VersionDetail detail) {
    }

    public Optional<Found> detail(String tenant, String name, int version) {
        return sql.one(SELECT + " FROM adapter a LEFT JOIN adapter_version v ON v.adapter_id = a.id AND v.version = ? AND "
                        + VISIBLE + " LEFT JOIN version_lineage l ON l.version_id = v.id"
                        + " WHERE a.tenant = ? AND a.name = ?",
                r -> new Found(null, detail(r)), version, tenant, name);
    }

    /** The version {@code alias} points at. */
    public Optional<Found> resolve(String tenant, String name, String alias) {
        return sql.one(SELECT + ", al.version AS alias_version FROM adapter a"
                        + " LEFT JOIN adapter_alias al ON al.adapter_id = a.id AND al.alias = ?"
                        + " LEFT JOIN adapter_version v ON v.adapter_id = a.id AND v.version = al.version AND " + VISIBLE
                        + " LEFT JOIN version_lineage l ON l.version_id = v.id WHERE a.tenant = ? AND a.name = ?",
                r -> new Found(r.integer("alias_version"), detail(r)), alias, tenant, name);
    }

    /**
     * {@code version} and the versions of the same adapter it was warm-started from, newest first (at most 100): the
     * lineage chain {@code compare} shows.
     */
    public List<Integer> chain(String tenant, String name, int version) {
        return sql.list("""
                WITH RECURSIVE chain(version, parent, depth) AS (
                    SELECT v.version, CASE WHEN l.parent_adapter = a.name THEN l.parent_version END, 1
                    FROM adapter a JOIN adapter_version v ON v.adapter_id = a.id
                    LEFT JOIN version_lineage l ON l.version_id = v.id
                    WHERE a.tenant = ? AND a.name = ? AND v.version = ?
                  UNION ALL
                    SELECT v.version, CASE WHEN l.parent_adapter = a.name THEN l.parent_version END, c.depth + 1
                    FROM chain c JOIN adapter a ON a.tenant = ? AND a.name = ?
                    JOIN adapter_version v ON v.adapter_id = a.id AND v.version = c.parent
                    LEFT JOIN version_lineage l ON l.version_id = v.id
                    WHERE c.depth < 100)
                SELECT version FROM chain ORDER BY depth""", row -> row.integer("version"), tenant, name, version,
                tenant, name);
    }

    private static AdapterService.VersionDetail detail(SqlReads.Row r) throws SQLException {
        Long id = r.bigint("id");
        if (id == null) {
            return null;
        }
        Long adapterId = r.bigint("adapter_id");
        AdapterVersion v = new AdapterVersion();
        v.id = id;
        v.version = r.integer("version");
        v.status = VersionStatus.valueOf(r.string("status"));
        v.jobId = r.string("job_id");
        v.method = r.string("method");
        v.baseModel = r.string("base_model");
        v.datasetName = r.string("dataset_name");
        v.datasetVersion = r.integer("dataset_version");
        v.trainableParameters = r.bigint("trainable_parameters");
        v.steps = r.integer("steps");
        v.sizeBytes = r.bigint("size_bytes");
        v.exactMatch = r.real("exact_match");
        v.macroExactMatch = r.real("macro_exact_match");
        v.evalLoss = r.real("eval_loss");
        v.perplexity = r.real("perplexity");
        v.tokenAccuracy = r.real("token_accuracy");
        v.metrics = r.json("metrics", OBJECT);
        v.files = r.json("files", FILES);
        v.failureReason = r.string("failure_reason");
        v.promotionReason = r.string("promotion_reason");
        v.decision = r.json("decision", OBJECT);
        v.createdAt = r.time("created_at");
        v.readyAt = r.time("ready_at");
        v.archivedAt = r.time("archived_at");
        v.datasetDeletedAt = r.time("dataset_deleted_at");

        VersionLineage l = null;
        if (r.bigint("lineage_version_id") != null) {
            l = new VersionLineage();
            l.versionId = id;
            l.jobId = r.string("lineage_job_id");
            l.datasetName = r.string("lineage_dataset_name");
            l.datasetVersion = r.integer("lineage_dataset_version");
            l.trainSha256 = r.string("train_sha256");
            l.validationSha256 = r.string("validation_sha256");
            l.baseModelId = r.string("base_model_id");
            l.baseWeightsSha256 = r.string("base_weights_sha256");
            l.methodName = r.string("method_name");
            l.methodConfig = r.json("method_config", OBJECT);
            l.training = r.json("training", OBJECT);
            l.seed = r.bigint("seed");
            l.libraries = r.json("libraries", OBJECT);
            l.parentAdapter = r.string("parent_adapter");
            l.parentVersion = r.integer("parent_version");
            l.stackedOn = r.json("stacked_on", LAYERS);
        }

        List<AdapterAlias> aliases = new ArrayList<>();
        for (List<Object> pair : pairs(r, "aliases")) {
            AdapterAlias a = new AdapterAlias();
            a.adapterId = adapterId;
            a.alias = (String) pair.get(0);
            a.version = ((Number) pair.get(1)).intValue();
            aliases.add(a);
        }
        List<VersionTag> tags = new ArrayList<>();
        for (List<Object> pair : pairs(r, "tags")) {
            VersionTag t = new VersionTag();
            t.versionId = id;
            t.key = (String) pair.get(0);
            t.value = (String) pair.get(1);
            tags.add(t);
        }
        return new AdapterService.VersionDetail(v, aliases, l, tags);
    }

    private static List<List<Object>> pairs(SqlReads.Row r, String column) throws SQLException {
        List<List<Object>> pairs = r.json(column, PAIRS);
        return pairs == null ? List.of() : pairs;
    }
}
