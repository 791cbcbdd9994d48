package io.peftflow.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.peftflow.core.checkpoint.Json;
import io.peftflow.core.manifest.RunManifest;
import io.peftflow.core.training.TrainerCheckpoint;
import io.peftflow.data.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI trains, saves the adapter, a resumable checkpoint and a manifest whose hashes match the files. */
class TrainCommandTest {
    @TempDir
    Path tmp;

    @Test
    void writesAdapterCheckpointAndManifest() throws Exception {
        TrainCommand.main(new String[] {"--method", "lora", "--steps", "20", "--train-size", "64",
            "--validation-size", "16", "--out", tmp.toString()});
        JsonNode m = Json.read(tmp.resolve("manifest.json"));
        assertEquals(RunManifest.FORMAT, m.get("format").asText());
        assertEquals(42, m.get("seed").asLong());
        assertEquals("0.33.0", m.get("versions").get("djl").asText());
        assertEquals(Sha256.hex(tmp.resolve("data/train.jsonl")),
                m.get("datasets").get("train").get("sha256").asText());
        assertEquals(RunManifest.sha256Files(tmp.resolve("adapter"), ".safetensors"),
                m.get("adapter").get("sha256").asText());
        assertEquals(RunManifest.sha256Files(tmp.resolve("base"), ".safetensors"),
                m.get("base_model").get("weights_sha256").asText());
        assertEquals("LORA", m.get("adapter").get("config").get("peft_type").asText());
        assertEquals(20, m.get("result").get("steps").asInt());
        assertEquals(20, m.get("training").get("maxSteps").asInt());
        assertTrue(m.get("metrics").get("tuned").get("eval_loss").asDouble()
                < m.get("metrics").get("base").get("eval_loss").asDouble());
        assertTrue(Files.isRegularFile(tmp.resolve("checkpoint").resolve(TrainerCheckpoint.STATE)));
        assertTrue(Files.isRegularFile(tmp.resolve("adapter/adapter_model.safetensors")));
    }
}
