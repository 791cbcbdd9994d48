package io.peftflow.kit.limits;

import io.peftflow.kit.problem.FieldError;
import io.peftflow.kit.problem.Problem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A NUL character in a path or query value is a 400 naming it before any resource runs: no identifier, name or
 * cursor may hold one, and PostgreSQL's text refuses it (a listing's {@code after=%00} was a 500 from the query).
 */
public class NulCharacterFilter {
    @ServerRequestFilter(preMatching = true)
    public Optional<Response> refuse(ContainerRequestContext request) {
        if (request.getUriInfo().getPath().indexOf('\0') >= 0) {
            return Optional.of(problem("path"));
        }
        for (Map.Entry<String, List<String>> p : request.getUriInfo().getQueryParameters().entrySet()) {
            if (p.getKey().indexOf('\0') >= 0 || p.getValue().stream().anyMatch(v -> v.indexOf('\0') >= 0)) {
                return Optional.of(problem(p.getKey().replace('\0', '?')));
            }
        }
        return Optional.empty();
    }

    private static Response problem(String field) {
        FieldError error = new FieldError(field, "must not contain a NUL character");
        return Problem.of(Response.Status.BAD_REQUEST, error.toString()).withErrors(List.of(error)).toResponse();
    }
}
