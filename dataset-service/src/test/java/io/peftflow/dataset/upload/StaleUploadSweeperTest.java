package io.peftflow.dataset.upload;

import io.agroal.api.AgroalDataSource;
import io.peftflow.dataset.api.Stored;
import io.peftflow.kit.storage.ObjectStore;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An upload whose service died while storing leaves a PROCESSING row and some objects: once older than
 * stale-upload-after (6h) the sweeper deletes the objects and marks the row FAILED; a recent one is left alone.
 */
@QuarkusTest
class StaleUploadSweeperTest {
    private static final String TENANT = "sweeper";

    @Inject
    StaleUploadSweeper sweeper;

    @Inject
    AgroalDataSource db;

    @Inject
    ObjectStore store;

    @Inject
    Stored stored;

    @Test
    void staleVersionsLoseTheirObjectsAndBecomeFailed() throws SQLException {
        String name = "crashed-" + UUID.randomUUID().toString().substring(0, 8);
        long dataset = insert("INSERT INTO dataset (tenant, name, split_seed, validation_fraction, created_at)"
                + " VALUES ('" + TENANT + "', '" + name + "', 0, 0.1, now()) RETURNING id");
        for (int v : List.of(1, 2)) {
            insert("INSERT INTO dataset_version (dataset_id, version, status, balance, seed, raw_key, created_at) VALUES ("
                    + dataset + ", " + v + ", 'PROCESSING', 'none', 0, '" + TENANT + "/" + name + "/v" + v + "/raw.jsonl', "
                    + (v == 1 ? "now() - interval '7 hours'" : "now()") + ") RETURNING id");
            for (String object : List.of("raw.jsonl", "train.jsonl")) {
                store.put("peftflow-datasets", TENANT + "/" + name + "/v" + v + "/" + object,
                        "{}".getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
            }
        }

        sweeper.sweep();

        assertEquals(1, stored.count("select count(*) from dataset_version v join dataset d on d.id = v.dataset_id"
                + " where d.name = ? and v.version = 1 and v.status = 'FAILED'", name));
        assertEquals(List.of(), stored.objects(TENANT, name, 1), "the stale version's objects are deleted");
        assertEquals(1, stored.count("select count(*) from dataset_version v join dataset d on d.id = v.dataset_id"
                + " where d.name = ? and v.version = 2 and v.status = 'PROCESSING'", name));
        assertEquals(List.of("raw.jsonl", "train.jsonl"), stored.objects(TENANT, name, 2), "a recent upload is left alone");
        given().header("X-Tenant", TENANT).when().get("/datasets/{n}", name).then().statusCode(404);
    }

    private long insert(String sql) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
