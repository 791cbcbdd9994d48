package io.peftflow.inference.api;

import io.peftflow.kit.api.Page;
import io.peftflow.inference.registry.RegistryClient;
import io.peftflow.kit.tenant.RequestTenant;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.OffsetDateTime;

/** OpenAI's {@code GET /models}: the tenant's adapters that have a champion, each callable by its name. */
@Path("/models")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "inference")
public class ModelsResource {
    private final RegistryClient registry;
    private final RequestTenant tenant;

    public ModelsResource(RegistryClient registry, RequestTenant tenant) {
        this.registry = registry;
        this.tenant = tenant;
    }

    @GET
    @Operation(summary = "List the servable models: the tenant's adapters with a champion (call name, name:alias or name:N)")
    public Page<Responses.Model> list() {
        String t = tenant.name();
        return Page.of(registry.champions(t).stream().map(c -> new Responses.Model(
                c.adapter(), "model", c.createdAt() == null ? 0 : OffsetDateTime.parse(c.createdAt()).toEpochSecond(),
                t, c.version(), c.baseModel())).toList(), false, Responses.Model::id);
    }
}
