package io.peftflow.inference.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peftflow.data.Turn;
import io.peftflow.inference.InferenceConfig;
import io.peftflow.inference.registry.ModelStack;
import io.peftflow.inference.runtime.Completer;
import io.peftflow.kit.tenant.RequestTenant;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * OpenAI's {@code POST /chat/completions} and {@code POST /completions} over registered adapters, with
 * {@code stream: true} as server-sent events in OpenAI's chunk format ending with {@code data: [DONE]}.
 */
@Path("/")
// JSON, or server-sent events when stream is true (OpenAI's SDKs then send Accept: text/event-stream).
@Produces({MediaType.APPLICATION_JSON, MediaType.SERVER_SENT_EVENTS})
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "inference")
public class CompletionsResource {
    private static final int MAX_MESSAGES = 256;
    private static final int MAX_STOP = 4;
    private static final int MAX_STOP_CHARS = 64;

    private final Completer completer;
    private final InferenceConfig config;
    private final ObjectMapper json;
    private final RequestTenant tenant;

    public CompletionsResource(Completer completer, InferenceConfig config, ObjectMapper json, RequestTenant tenant) {
        this.completer = completer;
        this.config = config;
        this.json = json;
        this.tenant = tenant;
    }

    @POST
    @Path("/chat/completions")
    @Operation(summary = "Chat completion by an adapter (OpenAI-compatible); messages use the adapter's prompt template")
    @APIResponse(responseCode = "200", description = "chat.completion, or chat.completion.chunk events when stream is true")
    @APIResponse(responseCode = "400", description = "a bad field, named in the problem")
    @APIResponse(responseCode = "404", description = "no such model for this tenant")
    public Response chat(Requests.Chat body, @Context HttpServerRequest http) {
        if (body == null) {
            throw FieldProblems.badRequest("body", "a JSON object {model, messages} is required");
        }
        ModelStack model = Validation.model(body.model());
        List<Turn> turns = turns(body.messages());
        Completer.Generation g = completer.start(tenant.name(), model, Completer.Prompt.chat(turns),
                settings(body, 64));
        String id = "chatcmpl-" + UUID.randomUUID();
        return answer(body, http, g, id, "chat.completion", (text, finish) -> List.of(new Responses.ChatChoice(0,
                        new Responses.ChatMessage("assistant", text), null, finish)),
                (text, finish) -> List.of(new Responses.ChatDelta(0, text == null ? new Responses.ChatMessage(null, null)
                        : new Responses.ChatMessage("assistant", text), null, finish)));
    }

    @POST
    @Path("/completions")
    @Operation(summary = "Text completion of a raw prompt by an adapter (OpenAI-compatible)")
    @APIResponse(responseCode = "200", description = "text_completion, or its chunks as events when stream is true")
    @APIResponse(responseCode = "400", description = "a bad field, named in the problem")
    @APIResponse(responseCode = "404", description = "no such model for this tenant")
    public Response complete(Requests.Completion body, @Context HttpServerRequest http) {
        if (body == null) {
            throw FieldProblems.badRequest("body", "a JSON object {model, prompt} is required");
        }
        ModelStack model = Validation.model(body.model());
        JsonNode p = body.prompt();
        if (p != null && p.isArray() && p.size() == 1) {
            p = p.get(0);
        }
        if (p == null || !p.isTextual()) {
            throw FieldProblems.badRequest("prompt", "must be a string (or an array of one string)");
        }
        String prompt = Validation.text("prompt", p.asText(), config.maxInputChars());
        Completer.Generation g = completer.start(tenant.name(), model, Completer.Prompt.raw(prompt),
                settings(body, 16));
        String id = "cmpl-" + UUID.randomUUID();
        TextChoices choices = (text, finish) -> List.of(new Responses.TextChoice(0, text == null ? "" : text, null, finish));
        return answer(body, http, g, id, "text_completion", choices, choices);
    }

    /** The choices of a response (or of a chunk: text null for the final chunk). */
    private interface TextChoices {
        List<?> of(String text, String finish);
    }

    private Response answer(Requests.Sampling body, HttpServerRequest http, Completer.Generation g, String id,
                            String object, TextChoices whole, TextChoices chunk) {
        long created = System.currentTimeMillis() / 1000;
        String model = g.version().modelId();
        String fingerprint = g.version().fingerprint();
        Response.ResponseBuilder response = Response.ok().header(Responses.VERSION_HEADER, g.version().versions());
        if (!Boolean.TRUE.equals(body.stream())) {
            String text;
            try {
                text = g.text(() -> http.response().closed());
            } catch (InterruptedException e) {
                g.cancel();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            return response.type(MediaType.APPLICATION_JSON).entity(new Responses.Completion(id, object, created, model,
                    fingerprint, whole.of(text, g.finishReason()), Responses.Usage.of(g.promptTokens(),
                            g.completionTokens()))).build();
        }
        String chunkObject = object.equals("chat.completion") ? "chat.completion.chunk" : object;
        boolean usage = body.streamOptions() != null && Boolean.TRUE.equals(body.streamOptions().includeUsage());
        Function<List<?>, Responses.Completion> event = choices -> new Responses.Completion(id, chunkObject, created,
                model, fingerprint, choices, null);
        StreamingOutput stream = out -> {
            try {
                for (String piece = g.next(); piece != null; piece = g.next()) {
                    if (http.response().closed()) {
                        return; // the client left (writes to its closed connection do not fail): stop generating
                    }
                    send(out, event.apply(chunk.of(piece, null)));
                }
                send(out, event.apply(chunk.of(null, g.finishReason())));
                if (usage) {
                    send(out, new Responses.Completion(id, chunkObject, created, model, fingerprint, List.of(),
                            Responses.Usage.of(g.promptTokens(), g.completionTokens())));
                }
                out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                g.cancel();
            }
        };
        return response.type(MediaType.SERVER_SENT_EVENTS).header("Cache-Control", "no-cache").entity(stream).build();
    }

    private void send(OutputStream out, Object event) throws IOException {
        out.write(("data: " + json.writeValueAsString(event) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private List<Turn> turns(List<Requests.Message> messages) {
        if (messages == null || messages.isEmpty()) {
            throw FieldProblems.badRequest("messages", "must hold at least one message");
        }
        if (messages.size() > MAX_MESSAGES) {
            throw FieldProblems.badRequest("messages", messages.size() + " messages, more than the " + MAX_MESSAGES
                    + " allowed");
        }
        List<Turn> turns = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            Requests.Message m = messages.get(i);
            String field = "messages[" + i + "]";
            if (m == null) {
                throw FieldProblems.badRequest(field, "must be an object {role, content}");
            }
            String role = "developer".equals(m.role()) ? Turn.SYSTEM : m.role();
            if (role == null || !Turn.isRole(role)) {
                throw FieldProblems.badRequest(field + ".role", "must be system, developer, user or assistant, got '"
                        + m.role() + "'");
            }
            turns.add(new Turn(role, Validation.text(field + ".content", content(field, m.content()),
                    config.maxInputChars())));
        }
        return turns;
    }

    /** A string, or the concatenated {@code text} of {@code [{type: "text", text}]} parts. */
    private static String content(String field, JsonNode content) {
        if (content == null || content.isNull()) {
            return null;
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (!content.isArray()) {
            throw FieldProblems.badRequest(field + ".content", "must be a string or an array of text parts");
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) {
            if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                throw FieldProblems.badRequest(field + ".content", "only text parts ({type: \"text\", text}) are supported");
            }
            sb.append(part.path("text").asText());
        }
        return sb.toString();
    }

    private Completer.Settings settings(Requests.Sampling body, int defaultMaxTokens) {
        if (body.n() != null && body.n() != 1) {
            throw FieldProblems.badRequest("n", "only n = 1 is supported, got " + body.n());
        }
        int maxTokens = body.maxTokens() == null ? defaultMaxTokens : body.maxTokens();
        if (maxTokens < 1 || maxTokens > config.maxNewTokens()) {
            throw FieldProblems.badRequest("max_tokens", "must be 1 to " + config.maxNewTokens() + ", got " + maxTokens);
        }
        double temperature = body.temperature() == null ? 1.0 : body.temperature();
        if (!(temperature >= 0 && temperature <= 2)) {
            throw FieldProblems.badRequest("temperature", "must be 0 to 2, got " + temperature);
        }
        double topP = body.topP() == null ? 1.0 : body.topP();
        if (!(topP > 0 && topP <= 1)) {
            throw FieldProblems.badRequest("top_p", "must be in (0, 1], got " + topP);
        }
        long seed = body.seed() == null ? ThreadLocalRandom.current().nextLong() : body.seed();
        return new Completer.Settings(maxTokens, temperature, topP, seed, stop(body.stop()));
    }

    private static List<String> stop(JsonNode stop) {
        List<String> out = new ArrayList<>();
        if (stop == null || stop.isNull()) {
            return out;
        }
        if (stop.isTextual()) {
            out.add(stop.asText());
        } else if (stop.isArray() && stop.size() <= MAX_STOP) {
            stop.forEach(s -> out.add(s.isTextual() ? s.asText() : null));
        } else {
            throw FieldProblems.badRequest("stop", "must be a string or an array of up to " + MAX_STOP + " strings");
        }
        if (out.stream().anyMatch(s -> s == null || s.isEmpty() || s.length() > MAX_STOP_CHARS)) {
            throw FieldProblems.badRequest("stop", "each stop sequence must be a string of 1 to " + MAX_STOP_CHARS
                    + " characters");
        }
        return out;
    }
}
