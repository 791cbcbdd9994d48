package io.peftflow.dataset;

import io.peftflow.kit.problem.Problem;
import io.peftflow.kit.problem.ProblemException;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** 422, which Jakarta REST 3.1's {@link Response.Status} lacks: well-formed request, unacceptable content. */
public final class Problems {
    public static final Response.StatusType UNPROCESSABLE_CONTENT = new Response.StatusType() {
        @Override
        public int getStatusCode() {
            return 422;
        }

        @Override
        public Response.Status.Family getFamily() {
            return Response.Status.Family.CLIENT_ERROR;
        }

        @Override
        public String getReasonPhrase() {
            return "Unprocessable Content";
        }
    };

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
