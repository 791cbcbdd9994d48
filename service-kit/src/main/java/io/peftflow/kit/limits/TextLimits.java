package io.peftflow.kit.limits;

import io.peftflow.kit.problem.FieldError;
import io.peftflow.kit.problem.Problem;
import io.peftflow.kit.problem.ProblemException;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** The documented size limits of free-text request fields: one check, a 400 that names the field and the limit. */
public final class TextLimits {
    /** Reasons, descriptions and other free text a person writes. */
    public static final int FREE_TEXT = 1_000;

    private TextLimits() {
    }

    /**
     * {@code value} (null passes) if it has at most {@code max} characters and no NUL (which PostgreSQL's text cannot
     * hold: an alias move's reason with one was a 500), else a 400 naming {@code field}.
     */
    public static String atMost(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw badRequest(field, field + " may have at most " + max + " characters, got " + value.length());
        }
        if (value != null && value.indexOf('\0') >= 0) {
            throw badRequest(field, field + " must not contain a NUL character");
        }
        return value;
    }

    private static ProblemException badRequest(String field, String reason) {
        return new ProblemException(Problem.of(Response.Status.BAD_REQUEST, reason)
                .withErrors(List.of(new FieldError(field, reason))));
    }

    /** A user-supplied value as an error message may echo it: at most 70 characters, so an answer stays small. */
    public static String abbreviate(String value) {
        return value.length() <= 70 ? value : value.substring(0, 70) + "…";
    }
}
