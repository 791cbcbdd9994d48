package io.peftflow.dataset;

import io.peftflow.kit.problem.Problem;
import io.peftflow.kit.problem.ProblemException;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** Shorthands for the 4xx problems of dataset-service. */
public final class Problems {
    public static final Response.StatusType UNPROCESSABLE_CONTENT = Problem.UNPROCESSABLE_CONTENT;

    private Problems() {
    }

    public static ProblemException unprocessable(String detail) {
        return unprocessable(detail, List.of());
    }

    public static ProblemException unprocessable(String detail, List<?> errors) {
        return new ProblemException(Problem.of(UNPROCESSABLE_CONTENT, detail).withErrors(errors));
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(Response.Status.BAD_REQUEST, detail);
    }
}
