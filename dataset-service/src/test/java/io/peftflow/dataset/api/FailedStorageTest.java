package io.peftflow.dataset.api;

import io.peftflow.dataset.DatasetConfig;
import io.peftflow.dataset.storage.DatasetObjects;
import io.peftflow.kit.storage.ObjectStore;
import io.peftflow.kit.storage.ObjectStoreException;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static io.peftflow.dataset.api.TestData.lines;
import static io.peftflow.dataset.api.TestData.qa;
import static io.peftflow.dataset.api.TestData.uniqueName;
import static io.peftflow.dataset.api.TestData.utf8;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** S3 fails on the last object of a version: what was written is deleted and no version becomes visible. */
@QuarkusTest
class FailedStorageTest {
    private static final String TENANT = "faults";

    @Inject
    ObjectStore store;

    @Inject
    DatasetConfig config;

    @Inject
    Stored stored;

    @Test
    void aFailureWhileStoringLeavesNoVersionBehind() {
        QuarkusMock.installMockForType(new DatasetObjects(store, config) {
            @Override
            public void put(String key, Path file, String contentType, String sha256) {
                if (key.endsWith("/report.json")) {
                    throw new ObjectStoreException("injected failure storing " + key, null);
                }
                super.put(key, file, contentType, sha256);
            }
        }, DatasetObjects.class);
        String name = uniqueName("fail");
        given().header("X-Tenant", TENANT).contentType("application/x-ndjson").body(utf8(lines(0, 20, i -> qa(i, "x" + i))))
                .when().post("/datasets/{n}/versions", name)
                .then().statusCode(500).contentType("application/problem+json");
        assertEquals(List.of(), stored.objects(TENANT, name, 1), "objects written before the failure are deleted");
        assertEquals(0, stored.count("select count(*) from dataset_version v join dataset d on d.id = v.dataset_id "
                + "where d.tenant = ? and d.name = ?", TENANT, name), "no version row");
        assertEquals(0, stored.count("select count(*) from outbox_event where record_key = ?", TENANT + "/" + name), "no event");
        given().header("X-Tenant", TENANT).when().get("/datasets/{n}", name).then().statusCode(404);
    }
}
