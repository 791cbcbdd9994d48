package io.peftflow.core.tiny;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.model.Models;
import io.peftflow.core.tokenizer.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TinyModelTest {
    @TempDir
    static Path tmp;
    static Path dir;

    @BeforeAll
    static void write() {
        dir = TinyModel.write(tmp.resolve("tiny"));
    }

    @Test
    void deterministicFromSeed() throws Exception {
        Path again = TinyModel.write(tmp.resolve("again"));
        for (String f : List.of("model.safetensors", "tokenizer.json", "config.json")) {
            assertArrayEquals(Files.readAllBytes(dir.resolve(f)), Files.readAllBytes(again.resolve(f)), f);
        }
        long size = Files.size(dir.resolve("model.safetensors"));
        assertTrue(size > 1_000_000 && size < 6_000_000, "a few MB: " + size);
    }

    @Test
    void tokenizerIsCompactLosslessAndUsesTheModelsContext() {
        try (Tokenizer tok = Tokenizer.load(dir)) {
            String text = "Description: STARBUCKS coffee latte $4.50";
            long[] ids = tok.encode(text);
            assertEquals(1L, ids[0], "BOS first");
            assertTrue(ids.length <= 16, "compact: " + ids.length + " tokens");
            assertEquals(text, tok.decode(ids).strip());
            assertEquals("naïve café ✓", tok.decode(tok.encode("naïve café ✓")).strip(), "any UTF-8 round-trips");
            assertEquals(TinyModel.MAX_POSITIONS, tok.maxLength());
            assertTrue(tok.encode("word ".repeat(700)).length > 512, "no silent truncation at DJL's 512");
            assertEquals(2L, tok.eosId().orElseThrow());
            assertEquals(0L, tok.padId().orElseThrow());
            assertTrue(tok.stopIds().contains(2L));
            assertEquals(TinyModel.CHAT_TEMPLATE, tok.chatTemplate().orElseThrow());
            assertEquals(6L, tok.tokenId("<|assistant|>").orElseThrow());
        }
    }

    @Test
    void brokenTokenizerIsAPeftCoreException() throws Exception {
        Path broken = tmp.resolve("broken");
        TinyModel.write(broken);
        Files.writeString(broken.resolve("tokenizer.json"), "{\"model\": {\"type\": \"BPE\", \"vocab\": 3}}");
        PeftCoreException e = assertThrows(PeftCoreException.class, () -> Tokenizer.load(broken).close());
        assertEquals(broken.resolve("tokenizer.json"), e.file());
        Files.delete(broken.resolve("tokenizer.json"));
        assertThrows(PeftCoreException.class, () -> Tokenizer.load(broken).close());
    }

    @Test
    void loadsAndRuns() {
        try (CausalLM model = Models.load(dir, LoadOptions.cpu());
             Tokenizer tok = Tokenizer.load(dir);
             var step = model.manager().newSubManager()) {
            long params = model.parameterCount();
            assertTrue(params > 500_000 && params < 1_000_000, "params " + params);
            long[] ids = tok.encode("Transaction: card payment at supermarket");
            NDArray logits = model.forward(step.create(ids, new Shape(1, ids.length)));
            assertEquals(new Shape(1, ids.length, model.config().vocabSize()), logits.getShape());
            assertTrue(logits.isNaN().sum().getLong() == 0);
        }
    }
}
