package io.peftflow.kit.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.peftflow.events.contract.InvalidValue;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;

/**
 * Turns every exception that leaves a resource into problem+json. Client mistakes keep their 4xx;
 * anything unexpected is logged and answered 500 without internals.
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return e.problem().toResponse();
    }

    /** A path or query value that breaks a contract type's rule (a name, a model id): 400 naming it. */
    @ServerExceptionMapper
    public Response invalidValue(InvalidValue e) {
        return Problem.of(Response.Status.BAD_REQUEST, e.getMessage())
                .withErrors(List.of(new FieldError(e.field(), e.getMessage()))).toResponse();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        if (e.getCause() instanceof MismatchedInputException shape) {
            return mismatchedInput(shape);
        }
        if (e.getCause() instanceof JsonProcessingException json) {
            // A body the JSON reader refused (malformed, or past JsonLimits): say why, not just "400".
            return malformedJson(json);
        }
        Response.StatusType status = e.getResponse().getStatusInfo();
        if (status.getStatusCode() >= 500) {
            LOG.error("request failed", e);
        }
        return Problem.of(status, e.getMessage()).toResponse();
    }

    /**
     * A body of the wrong shape: 400 naming the field and the kind expected. Mapped here because Quarkus' own mapper
     * for this exception (more specific than {@link #malformedJson}) answers a bare 400 without a body.
     */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        FieldError error = BodyShape.of(e);
        return Problem.of(Response.Status.BAD_REQUEST, error.toString()).withErrors(List.of(error)).toResponse();
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return Problem.of(Response.Status.BAD_REQUEST, "malformed JSON: " + e.getOriginalMessage()).toResponse();
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e) {
        LOG.error("unexpected failure", e);
        return Problem.of(Response.Status.INTERNAL_SERVER_ERROR, "internal error; see the service log").toResponse();
    }
}
