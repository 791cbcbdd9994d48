package io.peftflow.kit.tenant;

import io.peftflow.events.PlatformHeaders;
import io.peftflow.events.contract.Tenant;
import io.peftflow.kit.problem.FieldError;
import io.peftflow.kit.problem.Problem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.List;
import java.util.Optional;

/**
 * Resolves the caller's tenant from {@value PlatformHeaders#TENANT} before any resource runs (the gateway sets it
 * from the API key; absent means {@link Tenant#DEFAULT}): a malformed one is a 400 naming the header.
 */
public class TenantFilter {
    private final RequestTenant tenant;

    public TenantFilter(RequestTenant tenant) {
        this.tenant = tenant;
    }

    @ServerRequestFilter
    public Optional<Response> resolve(ContainerRequestContext request) {
        String header = request.getHeaderString(PlatformHeaders.TENANT);
        if (header != null && !header.isEmpty() && !Tenant.valid(header)) {
            String reason = Tenant.message(PlatformHeaders.TENANT, header);
            return Optional.of(Problem.of(Response.Status.BAD_REQUEST, reason)
                    .withErrors(List.of(new FieldError(PlatformHeaders.TENANT, reason))).toResponse());
        }
        tenant.resolve(Tenant.fromHeader(header));
        return Optional.empty();
    }
}
