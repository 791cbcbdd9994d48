package io.peftflow.kit.trace;

import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.LinkedHashMap;
import java.util.Map;

/** Captures the request's correlation id and trace context ({@link RequestTrace}) before any resource runs. */
public class RequestTraceFilter {
    @ServerRequestFilter(preMatching = true)
    public void capture(ContainerRequestContext request) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : RequestTrace.CARRIED) {
            String value = request.getHeaderString(name);
            if (value != null && !value.isBlank() && value.length() <= 512) {
                headers.put(name, value);
            }
        }
        RequestTrace.capture(headers);
    }
}
