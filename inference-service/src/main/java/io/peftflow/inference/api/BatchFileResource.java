package io.peftflow.inference.api;

import io.peftflow.events.contract.FileId;
import io.peftflow.inference.batch.BatchService;
import io.peftflow.kit.tenant.RequestTenant;
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
 * {@code /files/{id}} of the batches' output and error files ({@code file-batch_...}, {@link FileId.BatchResult}):
 * the gateway sends these ids here; uploads stay dataset-service's.
 */
@Path("/files/{id}")
@Tag(name = "files (OpenAI)")
public class BatchFileResource {
    private final BatchService batches;
    private final RequestTenant tenant;

    public BatchFileResource(BatchService batches, RequestTenant tenant) {
        this.batches = batches;
        this.tenant = tenant;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Get a batch's output or error file (OpenAI's File object)")
    @APIResponse(responseCode = "200", description = "the file")
    @APIResponse(responseCode = "404", description = "no such file (or its batch is still running)")
    public BatchViews.FileView retrieve(@RestPath String id) {
        return BatchViews.FileView.of(batches.resultFile(tenant.name(), id));
    }

    @GET
    @Path("/content")
    @Produces(MediaType.WILDCARD) // OpenAI's SDKs ask for application/binary
    @Operation(summary = "Download a batch's output or error file: a JSONL line {id, custom_id, response, error} per input line")
    @APIResponse(responseCode = "200", description = "the JSONL")
    @APIResponse(responseCode = "404", description = "no such file (or its batch is still running)")
    public Response content(@RestPath String id) {
        BatchService.ResultFile file = batches.resultFile(tenant.name(), id);
        return Response.ok(batches.content(file), MediaType.APPLICATION_OCTET_STREAM)
                .header("Content-Disposition", "attachment; filename=\"" + BatchViews.FileView.filename(file) + "\"")
                .build();
    }
}
