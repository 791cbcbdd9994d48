package io.peftflow.kit.gateway;

import io.peftflow.events.PlatformHeaders;
import io.peftflow.kit.problem.Problem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * A service's API serves the gateway only: a request without the gateway's shared secret (header
 * {@value PlatformHeaders#GATEWAY_SECRET}, env {@code PEFTFLOW_GATEWAY_SECRET}) is refused with 403, since its
 * {@code X-Tenant} could be anyone's. Health, metrics and OpenAPI under {@code /q} are not REST resources and
 * stay open to probes. Off in tests ({@code peftflow.gateway-secret-required=false}), which call services directly.
 */
public class GatewayOnlyFilter {
    private final Optional<String> secret;
    private final boolean required;

    public GatewayOnlyFilter(@ConfigProperty(name = "peftflow.gateway-secret") Optional<String> secret,
                             @ConfigProperty(name = "peftflow.gateway-secret-required", defaultValue = "true") boolean required) {
        this.secret = secret;
        this.required = required;
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> requireGateway(ContainerRequestContext request) {
        if (!required) {
            return Optional.empty();
        }
        String sent = request.getHeaderString(PlatformHeaders.GATEWAY_SECRET);
        if (secret.isPresent() && sent != null && MessageDigest.isEqual(
                sent.getBytes(StandardCharsets.UTF_8), secret.get().getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        return Optional.of(Problem.of(Response.Status.FORBIDDEN,
                "this service answers requests from the peftflow gateway only; call it through the gateway's /v1 API").toResponse());
    }
}
