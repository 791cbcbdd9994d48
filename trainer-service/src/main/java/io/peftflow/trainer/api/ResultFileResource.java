package io.peftflow.trainer.api;

import io.peftflow.events.contract.FileId;
import io.peftflow.kit.problem.ProblemException;
import io.peftflow.kit.tenant.RequestTenant;
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
import org.jboss.resteasy.reactive.RestPath;

/**
 * {@code /files/{id}} of the jobs' result files ({@code file-ftjob-...}, {@link FileId.JobResult}): the gateway sends
 * these ids here and every other file id to dataset-service, which owns the uploads.
 */
@Path("/files/{id}")
@Tag(name = "files (OpenAI)", description = "Uploaded training files and the jobs' result files, as OpenAI's files API")
public class ResultFileResource {
    private final JobService jobs;
    private final RequestTenant tenant;

    ResultFileResource(JobService jobs, RequestTenant tenant) {
        this.jobs = jobs;
        this.tenant = tenant;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Get a job's result file (OpenAI's File object)")
    @APIResponse(responseCode = "200", description = "the file")
    @APIResponse(responseCode = "404", description = "no such file")
    public OpenAiViews.File retrieve(@RestPath String id) {
        ResultFile.Content file = file(id);
        return OpenAiViews.File.of(file.job(), file.csv());
    }

    @GET
    @Path("/content")
    @Produces(MediaType.WILDCARD) // OpenAI's SDKs ask for application/binary
    @Operation(summary = "Download a job's result file: its metrics per step as CSV")
    @APIResponse(responseCode = "200", description = "the CSV")
    @APIResponse(responseCode = "404", description = "no such file")
    public Response content(@RestPath String id) {
        return Response.ok(file(id).csv(), "text/csv")
                .header("Content-Disposition", "attachment; filename=\"" + ResultFile.FILENAME + "\"").build();
    }

    private ResultFile.Content file(String id) {
        if (!(FileId.parse(id).orElse(null) instanceof FileId.JobResult result)) {
            throw new ProblemException(Response.Status.NOT_FOUND, "no file '" + id + "'");
        }
        return jobs.resultFile(tenant.name(), result.jobId());
    }
}
