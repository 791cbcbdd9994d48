package io.peftflow.inference.api;

import io.peftflow.inference.batch.Batch;
import io.peftflow.inference.batch.BatchService;
import io.peftflow.kit.api.Page;
import io.peftflow.kit.tenant.RequestTenant;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import java.util.List;

/** OpenAI's Batch API for {@code /v1/classify}: a stored file of inputs classified in the background. */
@Path("/batches")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "batches (OpenAI)", description = "Batch classification of an uploaded file (purpose=batch), as OpenAI's Batch API")
public class BatchResource {
    private static final int MAX_LIMIT = 100;
    private final BatchService batches;
    private final RequestTenant tenant;

    public BatchResource(BatchService batches, RequestTenant tenant) {
        this.batches = batches;
        this.tenant = tenant;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a batch over a file uploaded with purpose=batch (endpoint /v1/classify, completion_window 24h)")
    @APIResponse(responseCode = "200", description = "the batch, validating")
    @APIResponse(responseCode = "400", description = "a bad field, named in the problem (input_file_id, endpoint, completion_window, metadata)")
    @APIResponse(responseCode = "404", description = "no such input file for this tenant")
    public BatchViews.BatchView create(Requests.CreateBatch body) {
        if (body == null) {
            throw FieldProblems.badRequest("body", "a JSON object {input_file_id, endpoint, completion_window} is required");
        }
        return BatchViews.BatchView.of(batches.create(tenant.name(), body.inputFileId(), body.endpoint(),
                body.completionWindow(), body.metadata()));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a batch: its status, request_counts and, once over, its output and error files")
    @APIResponse(responseCode = "200", description = "the batch")
    @APIResponse(responseCode = "404", description = "no such batch")
    public BatchViews.BatchView retrieve(@RestPath String id) {
        return BatchViews.BatchView.of(batches.get(tenant.name(), id));
    }

    @GET
    @Operation(summary = "List the tenant's batches, newest first (after: a batch id)")
    @APIResponse(responseCode = "200", description = "a page of batches")
    @APIResponse(responseCode = "400", description = "a bad limit")
    @APIResponse(responseCode = "404", description = "no batch after names")
    public Page<BatchViews.BatchView> list(@RestQuery String after, @RestQuery String limit) {
        int n;
        try {
            n = limit == null ? 20 : Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1 || n > MAX_LIMIT) {
            throw FieldProblems.badRequest("limit", "must be an integer 1 to " + MAX_LIMIT);
        }
        List<Batch> page = batches.newestFirst(tenant.name(), after, n);
        return Page.fetched(page, n, BatchViews.BatchView::of, Batch::id);
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Cancel a batch: it stops between passes (cancelling, then cancelled) and keeps its results so far")
    @APIResponse(responseCode = "200", description = "the batch, cancelling (or already cancelled)")
    @APIResponse(responseCode = "404", description = "no such batch")
    @APIResponse(responseCode = "409", description = "the batch is over (completed, failed or expired)")
    public BatchViews.BatchView cancel(@RestPath String id) {
        return BatchViews.BatchView.of(batches.cancel(tenant.name(), id));
    }
}
