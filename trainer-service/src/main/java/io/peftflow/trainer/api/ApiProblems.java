package io.peftflow.trainer.api;

import io.peftflow.kit.problem.Problem;
import io.peftflow.kit.problem.FieldError;
import io.peftflow.trainer.validation.InvalidRequest;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;

/**
 * Request errors as problem+json whose {@code errors} name each field: 400 for a body of the wrong shape, 422 for
 * values that do not make a job (unknown dataset, version, model or method, bad hyperparameters, a plan too big).
 */
public class ApiProblems {
    @ServerExceptionMapper
    public Response badRequest(Requests.BadRequest e) {
        return problem(Response.Status.BAD_REQUEST, e.errors);
    }

    @ServerExceptionMapper
    public Response invalid(InvalidRequest e) {
        return problem(Problem.UNPROCESSABLE_CONTENT, e.errors());
    }

    private static Response problem(Response.StatusType status, List<FieldError> errors) {
        return Problem.of(status, String.join("; ", errors.stream().map(FieldError::toString).toList()))
                .withErrors(errors).toResponse();
    }

    static int limit(Integer limit) {
        int l = limit == null ? 20 : limit;
        if (l < 1 || l > 100) {
            throw new Requests.BadRequest(List.of(new FieldError("limit", "limit must be in [1, 100], got " + l)));
        }
        return l;
    }
}
