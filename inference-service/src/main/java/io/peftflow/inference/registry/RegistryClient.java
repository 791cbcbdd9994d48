package io.peftflow.inference.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peftflow.events.PlatformHeaders;
import io.peftflow.events.contract.AdapterRef;
import io.peftflow.inference.InferenceConfig;
import io.peftflow.inference.api.FieldProblems;
import io.peftflow.kit.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * registry-service's read API, called as the gateway calls it (tenant header and the shared secret): which version a
 * model name means for a tenant, and which adapters a tenant can call.
 */
@ApplicationScoped
public class RegistryClient {
    private static final Logger LOG = Logger.getLogger(RegistryClient.class);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json;
    private final String base;
    private final String secret;

    public RegistryClient(InferenceConfig config, ObjectMapper json,
                          @ConfigProperty(name = "peftflow.gateway-secret") String secret) {
        this.json = json;
        this.base = config.registryUrl().replaceAll("/+$", "");
        this.secret = secret;
    }

    /**
     * Opens the client's connection to the registry ({@code GET /q/health/live}), best effort: the JDK client's first
     * request pays for its set-up (its threads and classes) and a connection, which a replica's first model lookup
     * would otherwise pay.
     */
    public void connect() {
        try {
            http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/live")).timeout(Duration.ofSeconds(5)).GET()
                    .build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            LOG.infof("the adapter registry did not answer yet: %s", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The ready version {@code model} names; 404 (naming the field {@code model}) when there is none to serve. */
    public ServedVersion resolve(String tenant, AdapterRef model) {
        String path = model.version() != null ? "/adapters/" + model.adapter() + "/versions/" + model.version()
                : "/adapters/" + model.adapter() + "@" + model.alias();
        JsonNode v = get(tenant, path, model);
        if (!"ready".equals(v.path("status").asText())) {
            throw FieldProblems.of(Response.Status.NOT_FOUND, "model", "version " + v.path("version").asInt()
                    + " of adapter '" + model.adapter() + "' is " + v.path("status").asText() + " and not served");
        }
        List<ServedVersion.StoredFile> files = new ArrayList<>();
        v.path("files").forEach(f -> files.add(new ServedVersion.StoredFile(f.path("name").asText(),
                f.path("uri").asText(), f.path("sha256").asText(), f.path("bytes").asLong())));
        List<AdapterRef> stackedOn = new ArrayList<>();
        v.path("stackedOn").forEach(l -> stackedOn.add(AdapterRef.of(l.path("adapter").asText(), l.path("version").asInt())));
        return new ServedVersion(tenant, model.adapter(), v.path("version").asInt(), v.path("method").asText(null),
                v.path("baseModel").asText(null), files, stackedOn);
    }

    /** The tenant's adapters that have a champion, as {@code name -> champion version} (first 200 by name). */
    public List<Champion> champions(String tenant) {
        JsonNode page = get(tenant, "/adapters?limit=200", null);
        List<Champion> out = new ArrayList<>();
        page.path("data").forEach(a -> {
            if (a.hasNonNull("champion")) {
                out.add(new Champion(a.path("name").asText(), a.path("champion").asInt(),
                        a.path("baseModel").asText(null), a.path("createdAt").asText(null)));
            }
        });
        return out;
    }

    public record Champion(String adapter, int version, String baseModel, String createdAt) {
    }

    private JsonNode get(String tenant, String path, AdapterRef model) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5))
                .header(PlatformHeaders.TENANT, tenant).header(PlatformHeaders.GATEWAY_SECRET, secret)
                .header("Accept", "application/json").GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ProblemException(Response.Status.SERVICE_UNAVAILABLE, "the adapter registry did not answer: "
                    + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(Response.Status.SERVICE_UNAVAILABLE, "interrupted asking the adapter registry");
        }
        if (response.statusCode() == 404 && model != null) {
            // Another tenant's adapter is as unknown as one that never existed.
            throw FieldProblems.of(Response.Status.NOT_FOUND, "model", "no model '" + model + "': " + detail(response));
        }
        if (response.statusCode() != 200) {
            throw new ProblemException(Response.Status.SERVICE_UNAVAILABLE, "the adapter registry answered "
                    + response.statusCode() + " for " + path + ": " + detail(response));
        }
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new ProblemException(Response.Status.SERVICE_UNAVAILABLE, "the adapter registry's answer is not JSON");
        }
    }

    private String detail(HttpResponse<String> response) {
        try {
            return json.readTree(response.body()).path("detail").asText("");
        } catch (IOException e) {
            return "";
        }
    }
}
