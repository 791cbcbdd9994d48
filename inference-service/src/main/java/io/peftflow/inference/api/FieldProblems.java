package io.peftflow.inference.api;

import io.peftflow.kit.problem.FieldError;
import io.peftflow.kit.problem.Problem;
import io.peftflow.kit.problem.ProblemException;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** A 4xx problem+json about one request field: the detail and {@code errors: [{field, reason}]} both name it. */
public final class FieldProblems {
    private FieldProblems() {
    }

    public static ProblemException of(Response.StatusType status, String field, String reason) {
        return new ProblemException(Problem.of(status, field + ": " + reason)
                .withErrors(List.of(new FieldError(field, reason))));
    }

    public static ProblemException badRequest(String field, String reason) {
        return of(Response.Status.BAD_REQUEST, field, reason);
    }
}
