package io.peftflow.inference.vllm;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * vLLM's runtime LoRA API (the server runs with {@code --enable-lora} and {@code VLLM_ALLOW_RUNTIME_LORA_UPDATING=True}):
 * {@code POST /v1/load_lora_adapter} with a PEFT adapter directory on the server's disk. {@code load_inplace} replaces
 * an adapter of the same name, so requests naming it move to the new weights without a gap.
 */
public final class VllmClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final String base;

    public VllmClient(String url) {
        this.base = url.replaceAll("/+$", "");
    }

    /** Loads (or replaces) adapter {@code name} from {@code dir}; an {@link IOException} says why not. */
    public void load(String name, Path dir) throws IOException, InterruptedException {
        String body = json.writeValueAsString(Map.of("lora_name", name, "lora_path", dir.toString(),
                "load_inplace", true));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/load_lora_adapter"))
                .timeout(Duration.ofSeconds(120)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("vLLM answered " + response.statusCode() + " loading " + name + ": "
                    + response.body().substring(0, Math.min(500, response.body().length())));
        }
    }
}
