package io.peftflow.gateway;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The merged {@code /v1/openapi.json} describes every operation of the three services: a summary each, and each
 * documented error as problem+json with service-kit's one {@code Problem} schema.
 */
@QuarkusTest
class MergedOpenApiTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    @Test
    void everyServiceOperationHasASummaryAndItsErrorsAsProblems() {
        JsonPath doc = given().when().get("/v1/openapi.json").then().statusCode(200).extract().jsonPath();
        List<String> unavailable = doc.getList("x-unavailable");
        assertFalse(unavailable.contains("datasets") || unavailable.contains("fine-tuning") || unavailable.contains("adapters"),
                "every service answered: " + unavailable);
        Map<String, Map<String, Map<String, Object>>> paths = doc.getMap("paths");
        List<String> undescribed = new ArrayList<>();
        int operations = 0;
        int errors = 0;
        for (var path : paths.entrySet()) {
            if (!path.getKey().matches("/v1/(datasets|fine-tuning|fine_tuning|files|adapters|batches)(/.*)?")) {
                continue;
            }
            for (var operation : path.getValue().entrySet()) {
                if (!METHODS.contains(operation.getKey())) {
                    continue;
                }
                operations++;
                String name = operation.getKey().toUpperCase() + " " + path.getKey();
                Object summary = operation.getValue().get("summary");
                if (!(summary instanceof String s) || s.isBlank()) {
                    undescribed.add(name + ": no summary");
                }
                @SuppressWarnings("unchecked")
                Map<String, Map<String, Object>> responses = (Map<String, Map<String, Object>>) operation.getValue().get("responses");
                for (var response : responses.entrySet()) {
                    if (response.getKey().startsWith("4") || response.getKey().startsWith("5")) {
                        errors++;
                        if (!problem(response.getValue())) {
                            undescribed.add(name + " " + response.getKey() + ": not problem+json " + response.getValue());
                        }
                    } else if (response.getValue().get("description") == null) {
                        undescribed.add(name + " " + response.getKey() + ": no description");
                    }
                }
            }
        }
        assertEquals(List.of(), undescribed);
        assertTrue(operations >= 30, operations + " operations");
        assertTrue(errors >= 60, errors + " documented errors");

        // The errors each operation can answer, spot-checked.
        assertEquals(Set.of("201", "400", "409", "413", "422"), codes(paths, "/v1/datasets/{name}/versions", "post"));
        assertEquals(Set.of("200", "400", "404", "410"), codes(paths, "/v1/datasets/{name}/versions/{version}/splits/{split}", "get"));
        assertEquals(Set.of("200", "201", "400", "409", "422", "429"), codes(paths, "/v1/fine-tuning/jobs", "post"));
        assertEquals(Set.of("200", "404", "409"), codes(paths, "/v1/fine-tuning/jobs/{id}/cancel", "post"));
        // OpenAI's paths: the jobs at /v1/fine_tuning, the files (dataset-service's uploads; the result files'
        // /v1/files/{id} is routed by the id).
        assertEquals(Set.of("200", "201", "400", "409", "422", "429"), codes(paths, "/v1/fine_tuning/jobs", "post"));
        assertEquals(Set.of("200", "400", "404"), codes(paths, "/v1/fine_tuning/jobs/{id}/checkpoints", "get"));
        assertEquals(Set.of("200", "400", "413", "422"), codes(paths, "/v1/files", "post"));
        assertEquals(Set.of("200", "404"), codes(paths, "/v1/files/{id}/content", "get"));
        assertEquals(Set.of("200", "400", "404", "409", "410"), codes(paths, "/v1/adapters/{name}/versions/{version}/download", "get"));
        assertEquals(Set.of("200", "400", "404", "409"), codes(paths, "/v1/adapters/{name}/aliases/{alias}", "put"));

        // One Problem schema, service-kit's; the trainer's schemas are snake_case like its JSON.
        Map<String, Object> problem = doc.getMap("components.schemas.Problem.properties");
        assertTrue(problem.keySet().containsAll(Set.of("type", "title", "status", "detail", "errors")), problem.toString());
        Map<String, Object> job = doc.getMap("components.schemas.JobView.properties");
        assertTrue(job.keySet().containsAll(Set.of("adapter_name", "created_at", "progress")), job.keySet().toString());
    }

    private static boolean problem(Map<String, Object> response) {
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> content = (Map<String, Map<String, Object>>) response.get("content");
        if (content == null || response.get("description") == null || !content.containsKey("application/problem+json")) {
            return false;
        }
        Object schema = content.get("application/problem+json").get("schema");
        return schema instanceof Map<?, ?> s && "#/components/schemas/Problem".equals(s.get("$ref"));
    }

    private static Set<String> codes(Map<String, Map<String, Map<String, Object>>> paths, String path, String method) {
        @SuppressWarnings("unchecked")
        Map<String, Object> responses = (Map<String, Object>) paths.get(path).get(method).get("responses");
        return responses.keySet();
    }
}
