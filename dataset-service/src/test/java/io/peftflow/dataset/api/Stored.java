package io.peftflow.dataset.api;

import io.agroal.api.AgroalDataSource;
import io.peftflow.kit.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** What a test can see of a dataset in PostgreSQL and S3, read directly rather than through the API. */
@ApplicationScoped
public class Stored {
    private static final String BUCKET = "peftflow-datasets";
    private static final List<String> OBJECTS = List.of("raw.jsonl", "raw.jsonl.gz", "train.jsonl", "validation.jsonl", "report.json");

    private final AgroalDataSource db;
    private final ObjectStore store;

    public Stored(AgroalDataSource db, ObjectStore store) {
        this.db = db;
        this.store = store;
    }

    /** Rows about the dataset in any table of ours: dataset, versions (any status), outbox events. */
    public long rows(String tenant, String name) {
        return count("select count(*) from dataset where tenant = ? and name = ?", tenant, name)
                + count("select count(*) from dataset_version v join dataset d on d.id = v.dataset_id where d.tenant = ? and d.name = ?", tenant, name)
                + count("select count(*) from outbox_event where record_key = ? || '/' || ?", tenant, name);
    }

    /** Objects present under the version's prefix, by file name. */
    public List<String> objects(String tenant, String name, int version) {
        return OBJECTS.stream().filter(o -> store.stat(BUCKET, tenant + "/" + name + "/v" + version + "/" + o).isPresent()).toList();
    }

    public long count(String sql, String... params) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
