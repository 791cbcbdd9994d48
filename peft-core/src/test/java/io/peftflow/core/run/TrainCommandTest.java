package io.peftflow.core.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.checkpoint.Json;
import io.peftflow.core.manifest.RunManifest;
import io.peftflow.core.training.TrainerCheckpoint;
import io.peftflow.core.training.TrainingConfig;
import io.peftflow.core.tuners.AdapterFiles;
import io.peftflow.data.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI trains, saves the adapter, a resumable checkpoint and a manifest whose hashes match the files, adapter
 * snapshots when asked, and in a random batch order fixed by the seed when length buckets are off.
 */
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

    @Test
    void snapshotsTheAdapterEveryNStepsAndAfterTheLast() throws Exception {
        // No evaluation before the end: the final adapter is the last step's weights (not an earlier best).
        TrainCommand.main(new String[] {"--method", "lora", "--steps", "7", "--snapshot-every", "3", "--eval-every",
            "0", "--train-size", "32", "--validation-size", "8", "--out", tmp.toString()});
        try (Stream<Path> s = Files.list(tmp.resolve("snapshots"))) {
            assertEquals(List.of("step-3", "step-6", "step-7"),
                    s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        Path last = tmp.resolve("snapshots/step-7");
        for (String file : List.of(AdapterFiles.CONFIG, AdapterFiles.WEIGHTS)) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve("adapter").resolve(file)),
                    Files.readAllBytes(last.resolve(file)), file);
        }
        assertTrue(Files.mismatch(tmp.resolve("snapshots/step-3").resolve(AdapterFiles.WEIGHTS),
                last.resolve(AdapterFiles.WEIGHTS)) >= 0, "step 3 and step 7 hold different weights");
    }

    @Test
    void bucketBatchesOneTrainsInARandomOrderThatTheSeedFixes() throws Exception {
        List<Double> buckets = losses(tmp.resolve("buckets"), "--seed", "42");
        // the first run's data files for every run: only the order (and with the seed, the adapter's init) changes
        Path data = tmp.resolve("buckets/data");
        String train = data.resolve("train.jsonl").toString();
        String validation = data.resolve("validation.jsonl").toString();
        List<Double> random = losses(tmp.resolve("random"), "--seed", "42", "--bucket-batches", "1", "--train", train,
                "--validation", validation);
        assertEquals(random, losses(tmp.resolve("random-again"), "--seed", "42", "--bucket-batches", "1", "--train",
                train, "--validation", validation), "the seed fixes the order");
        assertNotEquals(buckets, random, "one batch per bucket trains on other batches");
        assertNotEquals(random, losses(tmp.resolve("random-43"), "--seed", "43", "--bucket-batches", "1", "--train",
                train, "--validation", validation), "another seed");
        assertEquals(TrainingConfig.BUCKET_BATCHES,
                Json.read(tmp.resolve("buckets/manifest.json")).get("training").get("bucketBatches").asInt());
        assertEquals(1, Json.read(tmp.resolve("random/manifest.json")).get("training").get("bucketBatches").asInt());
    }

    /** The loss of every update of a 6-step LoRA run on 64 generated examples, with {@code options}. */
    private static List<Double> losses(Path out, String... options) {
        List<String> argv = new ArrayList<>(List.of("--method", "lora", "--steps", "6", "--train-size", "64",
                "--validation-size", "8", "--eval-every", "0", "--out", out.toString()));
        argv.addAll(List.of(options));
        return TrainCommand.run(TrainCommand.parse(argv.toArray(String[]::new))).training().losses();
    }

    @Test
    void refusesAnUnknownOptionAndANonNumericSeed() {
        PeftCoreException e = assertThrows(PeftCoreException.class, () -> TrainCommand.main(new String[] {
            "--bucket-batch", "1", "--out", tmp.toString()}));
        assertEquals("bucket-batch", e.field(), e.getMessage());
        assertTrue(e.getMessage().contains("--bucket-batches"), e.getMessage());
        e = assertThrows(PeftCoreException.class, () -> TrainCommand.main(new String[] {"--seed", "x1", "--out",
            tmp.toString()}));
        assertEquals("seed", e.field(), e.getMessage());
    }

    @Test
    void refusesABucketOfNoBatches() {
        PeftCoreException e = assertThrows(PeftCoreException.class, () -> TrainCommand.main(new String[] {
            "--bucket-batches", "0", "--out", tmp.toString()}));
        assertEquals("bucketBatches", e.field(), e.getMessage());
    }

    @Test
    void refusesANegativeSnapshotInterval() {
        PeftCoreException e = assertThrows(PeftCoreException.class, () -> TrainCommand.main(new String[] {
            "--snapshot-every", "-1", "--out", tmp.toString()}));
        assertEquals("snapshotEvery", e.field(), e.getMessage());
    }
}
