package io.peftflow.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peftflow.core.Fixtures;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.model.Models;
import io.peftflow.core.safetensors.SafetensorsFile;
import io.peftflow.core.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken checkpoints give a PeftCoreException naming file and tensor, never a crash. */
class BadCheckpointTest {
    @TempDir
    Path tmp;

    private Path copy(String fixture) throws IOException {
        Path dst = tmp.resolve(fixture + "-" + System.nanoTime());
        Files.createDirectories(dst);
        try (var files = Files.list(Fixtures.dir(fixture))) {
            for (Path p : files.toList()) {
                Files.copy(p, dst.resolve(p.getFileName()));
            }
        }
        return dst;
    }

    private static PeftCoreException loadFails(Path dir) {
        return assertThrows(PeftCoreException.class, () -> Models.load(dir, LoadOptions.cpu()).close());
    }

    private static void editConfig(Path dir, UnaryOperator<ObjectNode> edit) throws IOException {
        Path cfg = dir.resolve("config.json");
        ObjectNode c = (ObjectNode) Json.read(cfg);
        Json.MAPPER.writeValue(cfg.toFile(), edit.apply(c));
    }

    /** Rewrites model.safetensors after {@code edit} changed its tensors (by name, in file order). */
    private static void rewriteWeights(Path dir, BiConsumer<NDManager, Map<String, NDArray>> edit) {
        Path file = dir.resolve("model.safetensors");
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Map<String, NDArray> all = new LinkedHashMap<>();
            try (SafetensorsFile f = SafetensorsFile.open(file)) {
                for (String n : f.tensors().keySet()) {
                    all.put(n, f.load(n, m, ai.djl.ndarray.types.DataType.FLOAT32, Device.cpu()));
                }
            }
            edit.accept(m, all);
            SafetensorsWriter.write(file, all);
        }
    }

    /** One tensor replaced, or removed when {@code replace} returns null. */
    private static void editWeights(Path dir, String name, java.util.function.Function<NDManager, NDArray> replace) {
        rewriteWeights(dir, (m, all) -> {
            NDArray r = replace.apply(m);
            if (r == null) {
                all.remove(name);
            } else {
                all.put(name, r);
            }
        });
    }

    /** The original GPT-2 upload: keys without "transformer.", plus causal-mask buffers the model ignores. */
    @Test
    void legacyGpt2LayoutLoadsToTheSameModel() throws IOException {
        Path legacy = copy("gpt2");
        rewriteWeights(legacy, (m, all) -> {
            Map<String, NDArray> renamed = new LinkedHashMap<>();
            all.forEach((k, v) -> renamed.put(k.replaceFirst("^transformer\\.", ""), v));
            renamed.put("h.0.attn.bias", m.ones(new ai.djl.ndarray.types.Shape(1, 1, 64, 64)));
            all.clear();
            all.putAll(renamed);
        });
        try (var a = Models.load(Fixtures.dir("gpt2"), LoadOptions.cpu());
             var b = Models.load(legacy, LoadOptions.cpu());
             NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray ids = m.create(new long[] {5, 9, 200, 17}, new ai.djl.ndarray.types.Shape(1, 4));
            assertArrayEquals(a.forward(ids).toFloatArray(), b.forward(ids).toFloatArray());
        }
    }

    @Test
    void missingPieces() throws IOException {
        assertTrue(loadFails(tmp.resolve("nowhere")).getMessage().contains("not found"));
        Path noConfig = copy("gpt2");
        Files.delete(noConfig.resolve("config.json"));
        assertEquals(noConfig.resolve("config.json"), loadFails(noConfig).file());
        Path noWeights = copy("gpt2");
        Files.delete(noWeights.resolve("model.safetensors"));
        assertTrue(loadFails(noWeights).getMessage().contains("no model.safetensors"));
        Path noShard = copy("llama3_untied_sharded");
        Files.delete(noShard.resolve("model-00003-of-00005.safetensors"));
        PeftCoreException shard = loadFails(noShard);
        assertEquals(noShard.resolve("model-00003-of-00005.safetensors"), shard.file());
        assertTrue(shard.tensor() != null);
    }

    @Test
    void truncatedAndCorruptWeights() throws IOException {
        Path trunc = copy("qwen2_bias");
        Path file = trunc.resolve("model.safetensors");
        long size = Files.size(file);
        try (var ch = Files.newByteChannel(file, StandardOpenOption.WRITE)) {
            ch.truncate(size - 100);
        }
        PeftCoreException e = loadFails(trunc);
        assertEquals(file, e.file());
        assertTrue(e.getMessage().contains("truncated") && e.tensor() != null, e.getMessage());
        Path corrupt = copy("qwen2_bias");
        byte[] bytes = Files.readAllBytes(corrupt.resolve("model.safetensors"));
        bytes[12] = '#';
        Files.write(corrupt.resolve("model.safetensors"), bytes);
        assertTrue(loadFails(corrupt).getMessage().contains("corrupt safetensors header"));
    }

    @Test
    void unknownArchitectureAndBadConfig() throws IOException {
        Path dir = copy("gpt2");
        editConfig(dir, c -> {
            c.putArray("architectures").add("FooForCausalLM");
            return c;
        });
        PeftCoreException e = loadFails(dir);
        assertTrue(e.getMessage().contains("unknown architecture FooForCausalLM"), e.getMessage());
        assertEquals(dir.resolve("config.json"), e.file());
        Path heads = copy("llama_gqa_tied");
        editConfig(heads, c -> c.put("num_key_value_heads", 3));
        assertTrue(loadFails(heads).getMessage().contains("num_key_value_heads"));
        Path rope = copy("llama_gqa_tied");
        editConfig(rope, c -> {
            c.putObject("rope_parameters").put("rope_type", "yarn").put("rope_theta", 1e4);
            return c;
        });
        assertTrue(loadFails(rope).getMessage().contains("rope_type yarn"));
    }

    @Test
    void shapeDtypeAndMissingTensor() throws IOException {
        Path shape = copy("mistral_sliding");
        editWeights(shape, "model.layers.1.self_attn.k_proj.weight", m -> m.zeros(new ai.djl.ndarray.types.Shape(24, 63)));
        PeftCoreException s = loadFails(shape);
        assertEquals("model.layers.1.self_attn.k_proj.weight", s.tensor());
        assertEquals(shape.resolve("model.safetensors"), s.file());
        assertTrue(s.getMessage().contains("shape mismatch"));

        Path dtype = copy("mistral_sliding");
        editWeights(dtype, "model.norm.weight", m -> m.zeros(new ai.djl.ndarray.types.Shape(64),
                ai.djl.ndarray.types.DataType.INT64));
        PeftCoreException d = loadFails(dtype);
        assertEquals("model.norm.weight", d.tensor());
        assertTrue(d.getMessage().contains("dtype mismatch"));

        Path missing = copy("mistral_sliding");
        editWeights(missing, "lm_head.weight", m -> null);
        PeftCoreException mi = loadFails(missing);
        assertEquals("lm_head.weight", mi.tensor());
        assertEquals(missing, mi.file());
    }

    @Test
    void loadsShardedCheckpointAndStoredBytes() {
        try (Checkpoint c = Checkpoint.open(Fixtures.dir("llama3_untied_sharded"))) {
            assertEquals(5, c.weights().names().stream().map(n -> c.weights().file(n).path()).distinct().count());
            assertEquals(427_264L, c.weights().storedBytes());
        }
    }
}
