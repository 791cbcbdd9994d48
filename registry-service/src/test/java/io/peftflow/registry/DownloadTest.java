package io.peftflow.registry;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.ForwardArgs;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.model.Models;
import io.peftflow.core.tuners.PeftModel;
import io.peftflow.core.tuners.lora.LoraAdapter;
import io.peftflow.data.Sha256;
import io.peftflow.events.training.JobSucceeded;
import io.peftflow.kit.storage.ObjectStore;
import io.peftflow.registry.registration.RegistrationService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A version's archive: the listed SHA-256 of each file, and an adapter directory that peft-core loads. */
@QuarkusTest
class DownloadTest {
    @Inject
    ObjectStore store;

    @Inject
    RegistrationService registrations;

    @TempDir
    Path tmp;

    @Test
    void theArchiveHoldsTheListedFilesAndLoadsWithPeftCore() throws Exception {
        String tenant = "dl";
        String adapter = RegistrationTest.unique("download");
        String jobId = "job-" + UUID.randomUUID();
        TrainedAdapter.publishFiles(store, tenant, jobId);
        JobSucceeded job = TrainedAdapter.succeeded(tenant, adapter, jobId, TrainedAdapter.BASE,
                TrainedAdapter.metrics(0.8, 0.5));
        registrations.register(job);
        JsonPath v = given().header("X-Tenant", tenant).get("/adapters/" + adapter + "/versions/1").then()
                .statusCode(200).extract().jsonPath();

        byte[] zip = given().header("X-Tenant", tenant).get("/adapters/" + adapter + "/versions/1/download").then()
                .statusCode(200).contentType("application/zip").extract().asByteArray();
        Path dir = tmp.resolve(adapter + "-v1");
        List<String> entries = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                entries.add(e.getName());
                Path out = tmp.resolve(e.getName());
                Files.createDirectories(out.getParent());
                Files.copy(in, out);
            }
        }
        List<String> names = v.getList("files.name");
        assertEquals(names.stream().map(n -> adapter + "-v1/" + n).toList(), entries);
        for (int i = 0; i < names.size(); i++) {
            assertEquals(v.getString("files[" + i + "].sha256"), Sha256.hex(dir.resolve(names.get(i))),
                    names.get(i));
        }
        // One file, streamed on its own, is the same bytes.
        byte[] config = given().header("X-Tenant", tenant)
                .get("/adapters/" + adapter + "/versions/1/files/adapter_config.json").then().statusCode(200)
                .header("ETag", "\"" + v.getString("files[0].sha256") + "\"").extract().asByteArray();
        assertArrayEquals(Files.readAllBytes(dir.resolve("adapter_config.json")), config);

        // The unpacked directory is a PEFT adapter: peft-core loads it on the base it was trained on.
        Path base = TrainedAdapter.run().resolve("base");
        try (CausalLM model = Models.load(base, LoadOptions.cpu()); NDManager step = model.manager().newSubManager()) {
            PeftModel peft = new PeftModel(model);
            LoraAdapter loaded = (LoraAdapter) peft.load(dir, "registered");
            assertTrue(loaded.targetNames().size() > 0);
            NDArray ids = step.create(new long[] {1, 5, 9, 12}, new Shape(1, 4));
            NDArray logits = peft.forward(ForwardArgs.ids(ids));
            assertEquals(new Shape(1, 4, model.config().vocabSize()), logits.getShape());
        }
        try (InputStream in = store.get("peftflow-adapters", tenant + "/" + adapter + "/v1/adapter_model.safetensors")) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("adapter_model.safetensors")), in.readAllBytes());
        }
    }
}
