package io.peftflow.kit.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Browse reads: one SQL statement on a pooled connection in autocommit mode, mapped by hand. One statement sees one
 * snapshot, so a view read in one statement needs no transaction; skipping JTA, Hibernate's query translation and
 * its flush took a browse request from milliseconds of CPU to a fraction of one (docs/BENCHMARKS.md). Writes stay
 * on Panache entities in transactions.
 */
@ApplicationScoped
public class SqlReads {
    private final DataSource dataSource;
    private final ObjectMapper json;

    public SqlReads(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /**
     * {@code column IN ('A', 'B')} for a fixed set of enum constants stored by name: a literal list, so the statement
     * text (and PostgreSQL's plan for it) is the same on every call.
     */
    public static String in(String column, Collection<? extends Enum<?>> values) {
        return values.stream().map(v -> "'" + v.name() + "'").collect(Collectors.joining(", ", column + " IN (", ")"));
    }

    /** Maps the current row of a result set. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(Row row) throws SQLException;
    }

    /** The first row of {@code sql} with positional {@code params}, if any. */
    public <T> Optional<T> one(String sql, RowMapper<T> mapper, Object... params) {
        List<T> rows = list(sql, mapper, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** Every row of {@code sql} with positional {@code params}. */
    public <T> List<T> list(String sql, RowMapper<T> mapper, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                List<T> rows = new ArrayList<>();
                Row row = new Row(rs, json);
                while (rs.next()) {
                    rows.add(mapper.map(row));
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("read failed: " + e.getMessage(), e);
        }
    }

    /** Typed, null-preserving column access by label; {@code jsonb} columns are parsed with the REST mapper. */
    public static final class Row {
        private final ResultSet rs;
        private final ObjectMapper json;

        private Row(ResultSet rs, ObjectMapper json) {
            this.rs = rs;
            this.json = json;
        }

        public String string(String column) throws SQLException {
            return rs.getString(column);
        }

        public Integer integer(String column) throws SQLException {
            int v = rs.getInt(column);
            return rs.wasNull() ? null : v;
        }

        public Long bigint(String column) throws SQLException {
            long v = rs.getLong(column);
            return rs.wasNull() ? null : v;
        }

        public Double real(String column) throws SQLException {
            double v = rs.getDouble(column);
            return rs.wasNull() ? null : v;
        }

        public java.time.OffsetDateTime time(String column) throws SQLException {
            return rs.getObject(column, java.time.OffsetDateTime.class);
        }

        public <T> T json(String column, TypeReference<T> type) throws SQLException {
            String text = rs.getString(column);
            if (text == null) {
                return null;
            }
            try {
                return json.readValue(text, type);
            } catch (JsonProcessingException e) {
                throw new SQLException("column " + column + " holds invalid JSON: " + e.getOriginalMessage(), e);
            }
        }
    }
}
