package io.peftflow.registry.catalog;

import io.peftflow.kit.db.SqlReads;
import io.peftflow.registry.promotion.Metric;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The adapter listing in one SQL statement outside a transaction ({@link SqlReads}): each adapter with its headline
 * version (the champion, else the latest ready one), filtered on the headline's base model, method and dataset or on
 * a tag of any listed version, ordered by name or by a metric of the headline (best first unless asked otherwise)
 * with keyset pagination.
 */
@ApplicationScoped
public class AdapterListing {
    private final SqlReads reads;

    public AdapterListing(SqlReads reads) {
        this.reads = reads;
    }

    /**
     * @param sort  null for by name
     * @param after the last row of the previous page (its sort value and name), or null for the first page
     */
    public record Query(String tenant, String baseModel, String method, String dataset, String tagKey, String tagValue,
                        Metric sort, boolean ascending, Row after, int limit) {
    }

    /** One adapter and its headline version; the headline fields are null when no version is ready. */
    public record Row(String name, int latestVersion, Integer champion, Integer version, String status, String method,
                      String baseModel, String dataset, Integer datasetVersion, Double exactMatch,
                      Double macroExactMatch, Double evalLoss, Double perplexity, Double tokenAccuracy,
                      OffsetDateTime createdAt) {
        public Double metric(Metric m) {
            return switch (m) {
                case EXACT_MATCH -> exactMatch;
                case MACRO_EXACT_MATCH -> macroExactMatch;
                case EVAL_LOSS -> evalLoss;
                case PERPLEXITY -> perplexity;
                case TOKEN_ACCURACY -> tokenAccuracy;
            };
        }
    }

    public List<Row> list(Query q) {
        StringBuilder sql = new StringBuilder("""
                SELECT a.name, a.last_version, ch.version AS champion, v.version, v.status, v.method, v.base_model,
                       v.dataset_name, v.dataset_version, v.exact_match, v.macro_exact_match, v.eval_loss, v.perplexity,
                       v.token_accuracy, a.created_at
                FROM adapter a
                LEFT JOIN adapter_version v ON v.id = a.headline_version_id
                LEFT JOIN adapter_alias ch ON ch.adapter_id = a.id AND ch.alias = 'champion'
                WHERE a.tenant = ?""");
        List<Object> params = new ArrayList<>();
        params.add(q.tenant());
        filter(sql, params, "v.base_model", q.baseModel());
        filter(sql, params, "v.method", q.method());
        filter(sql, params, "v.dataset_name", q.dataset());
        if (q.tagKey() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM version_tag t JOIN adapter_version tv ON tv.id = t.version_id"
                    + " WHERE tv.adapter_id = a.id AND " + SqlReads.in("tv.status", VersionRepository.VISIBLE) + " AND t.key = ?");
            params.add(q.tagKey());
            if (q.tagValue() != null) {
                sql.append(" AND t.value = ?");
                params.add(q.tagValue());
            }
            sql.append(')');
        }
        if (q.sort() == null) {
            if (q.after() != null) {
                sql.append(" AND a.name > ?");
                params.add(q.after().name());
            }
            sql.append(" ORDER BY a.name");
        } else {
            // Adapters without the metric sort last in either direction.
            String missing = q.ascending() ? "'Infinity'::float8" : "'-Infinity'::float8";
            String key = "COALESCE(v." + q.sort().wireName() + ", " + missing + ")";
            if (q.after() != null) {
                Double last = q.after().metric(q.sort());
                double afterValue = last == null ? (q.ascending() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY)
                        : last;
                sql.append(" AND (").append(key).append(q.ascending() ? " > ?" : " < ?").append(" OR (")
                        .append(key).append(" = ? AND a.name > ?))");
                params.addAll(List.of(afterValue, afterValue, q.after().name()));
            }
            sql.append(" ORDER BY ").append(key).append(q.ascending() ? " ASC" : " DESC").append(", a.name");
        }
        sql.append(" LIMIT ?");
        params.add(q.limit());
        return reads.list(sql.toString(), r -> {
            String status = r.string("status");
            return new Row(r.string("name"), r.integer("last_version"), r.integer("champion"), r.integer("version"),
                    status == null ? null : status.toLowerCase(Locale.ROOT), r.string("method"),
                    r.string("base_model"), r.string("dataset_name"), r.integer("dataset_version"),
                    r.real("exact_match"), r.real("macro_exact_match"), r.real("eval_loss"), r.real("perplexity"),
                    r.real("token_accuracy"), r.time("created_at"));
        }, params.toArray());
    }

    private static void filter(StringBuilder sql, List<Object> params, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            params.add(value);
        }
    }
}
