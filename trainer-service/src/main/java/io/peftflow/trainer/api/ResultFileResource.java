package io.peftflow.trainer.api;

import io.peftflow.events.contract.FileId;
import io.peftflow.kit.problem.ProblemException;
import io.peftflow.trainer.jobs.JobService;
import io.peftflow.trainer.jobs.ResultFile;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

/**
 * {@code /files/{id}} of the jobs' result files ({@code file-ftjob-...}, {@link FileId.JobResult}): the gateway sends
 * these ids here and every other file id to dataset-service, which owns the uploads.
 */
@Path("/files/{id}")
@Tag(name = "files (OpenAI)", description = "Uploaded training files and the jobs' result files, as OpenAI's files API")
public class ResultFileResource {
    private final JobService jobs;

    ResultFileResource(JobService jobs) {
        this.jobs = jobs;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Get a job's result file (OpenAI's File object)")
    @APIResponse(responseCode = "200", description = "the file")
    @APIResponse(responseCode = "404", description = "no such file")
    public OpenAiViews.File retrieve(@RestHeader("X-Tenant") String tenant, @RestPath String id) {
        ResultFile.Content file = file(tenant, id);
        return OpenAiViews.File.of(file.job(), file.csv());
    }

    @GET
    @Path("/content")
    @Produces("text/csv")
    @Operation(summary = "Download a job's result file: its metrics per step as CSV")
    @APIResponse(responseCode = "200", description = "the CSV")
    @APIResponse(responseCode = "404", description = "no such file")
    public Response content(@RestHeader("X-Tenant") String tenant, @RestPath String id) {
        return Response.ok(file(tenant, id).csv(), "text/csv")
                .header("Content-Disposition", "attachment; filename=\"" + ResultFile.FILENAME + "\"").build();
    }

    private ResultFile.Content file(String tenant, String id) {
        if (!(FileId.parse(id).orElse(null) instanceof FileId.JobResult result)) {
            throw new ProblemException(Response.Status.NOT_FOUND, "no file '" + id + "'");
        }
        return jobs.resultFile(ApiProblems.tenant(tenant), result.jobId());
    }
}
