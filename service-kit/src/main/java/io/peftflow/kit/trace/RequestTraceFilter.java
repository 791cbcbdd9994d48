package io.peftflow.kit.trace;

import io.peftflow.events.PlatformHeaders;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Captures the request's correlation id ({@link RequestTrace}) before any resource runs. */
public class RequestTraceFilter {
    @ServerRequestFilter(preMatching = true)
    public void capture(ContainerRequestContext request) {
        String requestId = request.getHeaderString(PlatformHeaders.REQUEST_ID);
        if (requestId != null && !requestId.isBlank() && requestId.length() <= 512) {
            RequestTrace.capture(requestId);
        }
    }
}
