package io.peftflow.kit.gateway;

import io.peftflow.events.PlatformHeaders;
import io.peftflow.kit.problem.Problem;
import io.peftflow.kit.secrets.GatewaySecrets;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * A service's API serves the gateway only: a request without the gateway's shared secret (header
 * {@value PlatformHeaders#GATEWAY_SECRET}, env {@code PEFTFLOW_GATEWAY_SECRET}, or during a rotation the next one,
 * {@code PEFTFLOW_GATEWAY_SECRET_NEXT}) is refused with 403, since its
 * {@code X-Tenant} could be anyone's. Health, metrics and OpenAPI under {@code /q} are not REST resources and
 * stay open to probes. Off in tests ({@code peftflow.gateway-secret-required=false}), which call services directly.
 */
public class GatewayOnlyFilter {
    private final Optional<String> secret;
    private final Optional<String> next;
    private final boolean required;

    public GatewayOnlyFilter(@ConfigProperty(name = GatewaySecrets.CURRENT) Optional<String> secret,
                             @ConfigProperty(name = GatewaySecrets.NEXT) Optional<String> next,
                             @ConfigProperty(name = "peftflow.gateway-secret-required", defaultValue = "true") boolean required) {
        this.secret = secret;
        this.next = next.filter(s -> !s.isBlank());
        this.required = required;
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> requireGateway(ContainerRequestContext request) {
        if (!required) {
            return Optional.empty();
        }
        String sent = request.getHeaderString(PlatformHeaders.GATEWAY_SECRET);
        if (sent != null && (matches(sent, secret) | matches(sent, next))) {
            return Optional.empty();
        }
        return Optional.of(Problem.of(Response.Status.FORBIDDEN,
                "this service answers requests from the peftflow gateway only; call it through the gateway's /v1 API").toResponse());
    }

    private static boolean matches(String sent, Optional<String> expected) {
        return expected.isPresent() && MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                expected.get().getBytes(StandardCharsets.UTF_8));
    }
}
