package io.peftflow.registry.catalog;

import io.peftflow.registry.promotion.Metric;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The adapter listing in one SQL query: each adapter with its headline version (the champion, else the latest ready
 * one), filtered on the headline's base model, method and dataset or on a tag of any listed version, ordered by name
 * or by a metric of the headline (best first unless asked otherwise) with keyset pagination.
 */
@ApplicationScoped
public class AdapterListing {
    private final EntityManager em;

    public AdapterListing(EntityManager em) {
        this.em = em;
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

    @Transactional
    public List<Row> list(Query q) {
        StringBuilder sql = new StringBuilder("""
                SELECT a.name, a.last_version, ch.version, v.version, v.status, v.method, v.base_model, v.dataset_name,
                       v.dataset_version, v.exact_match, v.macro_exact_match, v.eval_loss, v.perplexity,
                       v.token_accuracy, a.created_at
                FROM adapter a
                LEFT JOIN adapter_version v ON v.id = a.headline_version_id
                LEFT JOIN adapter_alias ch ON ch.adapter_id = a.id AND ch.alias = 'champion'
                WHERE a.tenant = :tenant""");
        List<Object[]> params = new ArrayList<>();
        params.add(new Object[] {"tenant", q.tenant()});
        filter(sql, params, "v.base_model", "baseModel", q.baseModel());
        filter(sql, params, "v.method", "method", q.method());
        filter(sql, params, "v.dataset_name", "dataset", q.dataset());
        if (q.tagKey() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM version_tag t JOIN adapter_version tv ON tv.id = t.version_id"
                    + " WHERE tv.adapter_id = a.id AND tv.status <> 'REGISTERING' AND t.key = :tagKey");
            params.add(new Object[] {"tagKey", q.tagKey()});
            if (q.tagValue() != null) {
                sql.append(" AND t.value = :tagValue");
                params.add(new Object[] {"tagValue", q.tagValue()});
            }
            sql.append(')');
        }
        String key;
        if (q.sort() == null) {
            key = null;
            if (q.after() != null) {
                sql.append(" AND a.name > :afterName");
                params.add(new Object[] {"afterName", q.after().name()});
            }
            sql.append(" ORDER BY a.name");
        } else {
            // Adapters without the metric sort last in either direction.
            String missing = q.ascending() ? "'Infinity'::float8" : "'-Infinity'::float8";
            key = "COALESCE(v." + q.sort().wireName() + ", " + missing + ")";
            if (q.after() != null) {
                Double last = q.after().metric(q.sort());
                sql.append(" AND (").append(key).append(q.ascending() ? " > " : " < ").append(":afterValue OR (")
                        .append(key).append(" = :afterValue AND a.name > :afterName))");
                params.add(new Object[] {"afterValue", last == null ? (q.ascending() ? Double.POSITIVE_INFINITY
                        : Double.NEGATIVE_INFINITY) : last});
                params.add(new Object[] {"afterName", q.after().name()});
            }
            sql.append(" ORDER BY ").append(key).append(q.ascending() ? " ASC" : " DESC").append(", a.name");
        }
        sql.append(" LIMIT :limit");
        params.add(new Object[] {"limit", q.limit()});
        jakarta.persistence.Query query = em.createNativeQuery(sql.toString());
        params.forEach(p -> query.setParameter((String) p[0], p[1]));
        List<Row> rows = new ArrayList<>();
        for (Object r : query.getResultList()) {
            Object[] c = (Object[]) r;
            rows.add(new Row((String) c[0], ((Number) c[1]).intValue(), integer(c[2]), integer(c[3]),
                    c[4] == null ? null : ((String) c[4]).toLowerCase(java.util.Locale.ROOT), (String) c[5],
                    (String) c[6], (String) c[7], integer(c[8]), real(c[9]), real(c[10]), real(c[11]), real(c[12]),
                    real(c[13]), time(c[14])));
        }
        return rows;
    }

    private static void filter(StringBuilder sql, List<Object[]> params, String column, String name, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = :").append(name);
            params.add(new Object[] {name, value});
        }
    }

    private static Integer integer(Object o) {
        return o == null ? null : ((Number) o).intValue();
    }

    private static Double real(Object o) {
        return o == null ? null : ((Number) o).doubleValue();
    }

    private static OffsetDateTime time(Object o) {
        if (o instanceof OffsetDateTime t) {
            return t;
        }
        if (o instanceof java.time.Instant i) {
            return i.atOffset(java.time.ZoneOffset.UTC);
        }
        if (o instanceof java.sql.Timestamp ts) {
            return ts.toInstant().atOffset(java.time.ZoneOffset.UTC);
        }
        return null;
    }
}
