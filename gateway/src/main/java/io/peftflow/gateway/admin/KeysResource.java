package io.peftflow.gateway.admin;

import io.peftflow.gateway.auth.ApiKey;
import io.peftflow.gateway.auth.ApiKeys;
import io.peftflow.gateway.auth.Secrets;
import io.peftflow.gateway.config.GatewayConfig;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import java.time.OffsetDateTime;
import java.util.List;

/** The admin API: API keys per tenant, for the holder of the bootstrap admin key only. */
@Path("/admin/keys")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin", description = "API keys per tenant (bootstrap admin key only)")
@APIResponse(responseCode = "401", description = "no or wrong admin key",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = KeysResource.AdminProblem.class)))
public class KeysResource {
    private final ApiKeys keys;
    private final GatewayConfig config;

    public KeysResource(ApiKeys keys, GatewayConfig config) {
        this.keys = keys;
        this.config = config;
    }

    /** What a client sends to create a key; rate and burst default to the gateway's configuration. */
    public record NewKey(String tenant, String name, Integer requestsPerMinute, Integer burst) {
    }

    /** A key as listed: never its secret. */
    public record KeyView(String id, String tenant, String name, String prefix, int requestsPerMinute, int burst,
                          OffsetDateTime createdAt, OffsetDateTime revokedAt) {
        static KeyView of(ApiKey k) {
            return new KeyView(k.id, k.tenant, k.name, k.prefix, k.requestsPerMinute, k.burst, k.createdAt, k.revokedAt);
        }
    }

    /** The answer to a creation: the only time the {@code secret} is shown. */
    public record CreatedKey(KeyView key, String secret) {
    }

    /** RFC 9457 problem details. */
    public record AdminProblem(String type, String title, int status, String detail) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an API key for a tenant", description = "The secret is in the answer once and never again; only its SHA-256 is stored.")
    @APIResponse(responseCode = "201", description = "created", content = @Content(schema = @Schema(implementation = CreatedKey.class)))
    @APIResponse(responseCode = "400", description = "bad tenant, name or limits",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = AdminProblem.class)))
    public Response create(@RestHeader("Authorization") String authorization, NewKey body) {
        requireAdmin(authorization);
        if (body == null) {
            throw problem(400, "Bad Request", "send {\"tenant\": ..., \"name\": ...}");
        }
        try {
            ApiKeys.Created created = keys.create(body.tenant(), body.name() == null ? body.tenant() : body.name(),
                    body.requestsPerMinute(), body.burst());
            return Response.status(201).entity(new CreatedKey(KeyView.of(created.key()), created.secret())).build();
        } catch (IllegalArgumentException e) {
            throw problem(400, "Bad Request", e.getMessage());
        }
    }

    @GET
    @Operation(summary = "List API keys", description = "All tenants' keys, or one tenant's; revoked keys included, secrets never.")
    public List<KeyView> list(@RestHeader("Authorization") String authorization, @RestQuery String tenant) {
        requireAdmin(authorization);
        return keys.list(tenant).stream().map(KeyView::of).toList();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revoke an API key", description = "Takes effect at once on this replica, on others within the key cache TTL.")
    @APIResponse(responseCode = "204", description = "revoked (also when it already was)")
    @APIResponse(responseCode = "404", description = "no such key",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = AdminProblem.class)))
    public Response revoke(@RestHeader("Authorization") String authorization, @RestPath String id) {
        requireAdmin(authorization);
        if (keys.revoke(id).isEmpty()) {
            throw problem(404, "Not Found", "no API key " + id);
        }
        return Response.noContent().build();
    }

    private void requireAdmin(String authorization) {
        if (config.adminKey().isEmpty()) {
            throw problem(503, "Service Unavailable", "the admin API is off: set PEFTFLOW_GATEWAY_ADMIN_KEY");
        }
        if (!Secrets.same(Secrets.bearer(authorization), config.adminKey().get())) {
            throw problem(401, "Unauthorized", "send the admin key as 'Authorization: Bearer <key>'");
        }
    }

    private static WebApplicationException problem(int status, String title, String detail) {
        return new WebApplicationException(Response.status(status).type("application/problem+json")
                .entity(new AdminProblem("about:blank", title, status, detail)).build());
    }
}
