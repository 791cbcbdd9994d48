package io.peftflow.events.batch;

import io.peftflow.events.contract.InvalidValue;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchRequestLineTest {

    @Test
    void aLineIsOneClassifyRequestWithItsCustomId() {
        BatchRequestLine line = BatchRequestLine.parse("""
                {"custom_id": "tx-1", "method": "POST", "url": "/v1/classify",
                 "body": {"model": "tx-lora:2", "input": "CityBus 2 EUR", "top_k": 2}}""".replace("\n", ""));
        assertEquals(new BatchRequestLine("tx-1", "tx-lora:2", "CityBus 2 EUR", 2), line);
        assertEquals(BatchRequestLine.DEFAULT_TOP_K, BatchRequestLine.parse(
                "{\"custom_id\":\"a\",\"method\":\"POST\",\"url\":\"/v1/classify\",\"body\":{\"model\":\"m\",\"input\":\"x\"}}").topK());
    }

    @Test
    void aBadLineNamesTheField() {
        String ok = "{\"custom_id\":\"a\",\"method\":\"POST\",\"url\":\"/v1/classify\",\"body\":{\"model\":\"m\",\"input\":\"x\"}}";
        assertField("line", "[1]");
        assertField("line", ok + " {}");
        assertField("line", "{\"custom_id\":");
        assertField("custom_id", ok.replace("\"a\"", "\"\""));
        assertField("custom_id", ok.replace("\"a\"", "\"" + "a".repeat(65) + "\""));
        assertField("method", ok.replace("POST", "GET"));
        assertField("url", ok.replace("/v1/classify", "/v1/chat/completions"));
        assertField("body", ok.replace("{\"model\":\"m\",\"input\":\"x\"}", "[]"));
        assertField("body.model", ok.replace("\"model\":\"m\"", "\"model\":3"));
        assertField("body.input", ok.replace("\"input\":\"x\"", "\"inputs\":[\"x\"]"));
        assertField("body.input", ok.replace("\"x\"", "\"" + "x".repeat(8001) + "\""));
        assertField("body.top_k", ok.replace("\"x\"}", "\"x\",\"top_k\":0}"));
        assertField("body.top_k", ok.replace("\"x\"}", "\"x\",\"top_k\":1.5}"));
    }

    @Test
    void idsSortNewestFirst() {
        String older = BatchInputs.newestFirstHex(1_000);
        String newer = BatchInputs.newestFirstHex(2_000);
        assertEquals(24, older.length());
        assertTrue(newer.compareTo(older) < 0, newer + " before " + older);
    }

    private static void assertField(String field, String line) {
        assertEquals(field, assertThrows(InvalidValue.class, () -> BatchRequestLine.parse(line), line).field());
    }
}
