package io.peftflow.kit.problem;

import jakarta.ws.rs.core.Response;

import java.util.List;

/** Thrown by services to answer with a problem+json of the given status; never for server faults. */
public class ProblemException extends RuntimeException {
    private final Problem problem;

    public ProblemException(Response.Status status, String detail) {
        this(Problem.of(status, detail));
    }

    public ProblemException(Response.Status status, String detail, List<?> errors) {
        this(Problem.of(status, detail).withErrors(errors));
    }

    public ProblemException(Problem problem) {
        super(problem.detail());
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
