package io.peftflow.inference.vllm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.peftflow.inference.registry.ServedVersion;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * The vLLM side of champion sync against a stand-in for vLLM's HTTP API: the request vLLM documents for runtime LoRA
 * loading (path, body, in-place replacement), its errors surfaced, and which champions are loaded at all.
 */
class ChampionSyncTest {
    @Test
    void loadsTheAdapterDirectoryInPlaceUnderTheAdapterName() throws Exception {
        ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/load_lora_adapter", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Content-Type") + " " + body);
            boolean refuse = body.contains("broken");
            byte[] answer = (refuse ? "{\"message\":\"no adapter_config.json\"}" : "Success").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(refuse ? 400 : 200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        try {
            VllmClient vllm = new VllmClient("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            vllm.load("transactions-lora", Path.of("/var/cache/peftflow/inference/adapters/acme/transactions-lora/v2"));
            String request = seen.poll();
            assertTrue(request.startsWith("POST application/json "), request);
            JsonNode body = new ObjectMapper().readTree(request.substring(request.indexOf('{')));
            assertEquals("transactions-lora", body.get("lora_name").asText());
            assertEquals("/var/cache/peftflow/inference/adapters/acme/transactions-lora/v2", body.get("lora_path").asText());
            assertTrue(body.get("load_inplace").asBoolean());
            IOException e = assertThrows(IOException.class, () -> vllm.load("broken", Path.of("/x")));
            assertTrue(e.getMessage().contains("400") && e.getMessage().contains("adapter_config.json"), e.getMessage());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void onlyANewLoraChampionIsLoaded() {
        ServedVersion v2 = new ServedVersion("acme", "tx", 2, "lora", "tiny-llama", List.of());
        assertEquals(ChampionSync.Action.LOAD, ChampionSync.decide(v2, null));
        assertEquals(ChampionSync.Action.LOAD, ChampionSync.decide(v2, 1));
        assertEquals(ChampionSync.Action.KEEP, ChampionSync.decide(v2, 2));
        ServedVersion bottleneck = new ServedVersion("acme", "tx", 3, "seq_bn", "tiny-llama", List.of());
        assertEquals(ChampionSync.Action.SKIP_NOT_LORA, ChampionSync.decide(bottleneck, 2));
        ServedVersion stacked = new ServedVersion("acme", "tx", 4, "lora", "tiny-llama", List.of(),
                List.of(io.peftflow.events.contract.AdapterRef.of("lang", 1)));
        assertEquals(ChampionSync.Action.SKIP_STACKED, ChampionSync.decide(stacked, 2));
        assertEquals(new ChampionSync.Followed("acme", "tx"), ChampionSync.Followed.parse("acme/tx"));
        assertThrows(IllegalArgumentException.class, () -> ChampionSync.Followed.parse("tx"));
    }
}
