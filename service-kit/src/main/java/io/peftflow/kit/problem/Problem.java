package io.peftflow.kit.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * An RFC 9457 problem detail, the body of every peftflow error response.
 *
 * @param errors the individual findings (e.g. rejected lines) behind a 4xx, when there are several
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@Schema(name = "Problem", description = "RFC 9457 problem details (application/problem+json), the body of every error")
public record Problem(
        @Schema(description = "a URI naming the kind of problem; about:blank when the status says it all", example = "about:blank")
        String type,
        @Schema(description = "the status' reason phrase", example = "Not Found")
        String title,
        @Schema(description = "the HTTP status", example = "404")
        int status,
        @Schema(description = "what went wrong, naming the field or value at fault", example = "no fine-tuning job 'ftjob-0a1b'")
        String detail,
        String instance,
        @Schema(description = "the findings behind a 4xx when there are several: {field, reason} for request fields, "
                + "{line, reason} for rejected lines of an upload")
        List<?> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType PROBLEM_JSON = MediaType.valueOf(MEDIA_TYPE);

    /** 422, which Jakarta REST 3.1's {@link Response.Status} lacks: a well-formed request with unacceptable content. */
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

    public static Problem of(Response.StatusType status, String detail) {
        return new Problem("about:blank", status.getReasonPhrase(), status.getStatusCode(), detail, null, List.of());
    }

    public Problem withErrors(List<?> findings) {
        return new Problem(type, title, status, detail, instance, findings);
    }

    public Response toResponse() {
        return Response.status(status).type(PROBLEM_JSON).entity(this).build();
    }
}
