package io.peftflow.trainer.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.peftflow.kit.api.Page;
import io.peftflow.kit.problem.FieldError;
import io.peftflow.kit.tenant.RequestTenant;
import io.peftflow.trainer.jobs.FineTuningJob;
import io.peftflow.trainer.jobs.JobCheckpoint;
import io.peftflow.trainer.jobs.JobKind;
import io.peftflow.trainer.jobs.JobService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import java.util.List;

/**
 * {@code /fine_tuning/jobs}: the jobs API at OpenAI's path with OpenAI's objects ({@link OpenAiViews}), so that
 * OpenAI's SDKs work unmodified. The jobs are the same as under {@code /fine-tuning/jobs}, peftflow's own view.
 */
@Path("/fine_tuning/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "fine-tuning (OpenAI)", description = "The fine-tuning jobs as OpenAI's API and SDKs speak them")
public class OpenAiJobResource {
    private final JobService jobs;
    private final JobCreation creation;
    private final RequestTenant tenant;

    OpenAiJobResource(JobService jobs, JobCreation creation, RequestTenant tenant) {
        this.jobs = jobs;
        this.creation = creation;
        this.tenant = tenant;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a fine-tuning job (OpenAI: model, training_file, validation_file, suffix, seed, method)",
            description = "training_file: a file id from POST /v1/files, datasets/<name>/versions/<N>, or a dataset name "
                    + "(its latest version). peftflow's own request fields are accepted too. The same Idempotency-Key "
                    + "again returns the job it made (200).")
    @APIResponse(responseCode = "201", description = "the job, queued")
    @APIResponse(responseCode = "200", description = "the job this Idempotency-Key made before")
    @APIResponse(responseCode = "400", description = "a body of the wrong shape (wrong type, unknown key, missing value); errors name the fields")
    @APIResponse(responseCode = "409", description = "the Idempotency-Key was used for a different request")
    @APIResponse(responseCode = "422", description = "values that make no job (unknown file, model, bad hyperparameters); errors name the fields")
    @APIResponse(responseCode = "429", description = "the tenant has as many unfinished jobs as its quota allows")
    public Response create(@RestHeader("Idempotency-Key") String key,
                           JsonNode body, @Context UriInfo uri) {
        JobCreation.Created c = creation.create(tenant.name(), key, body);
        OpenAiViews.Job view = OpenAiViews.Job.of(c.job());
        return c.created() ? Response.created(uri.getAbsolutePathBuilder().path(c.job().id).build()).entity(view).build()
                : Response.ok(view).build();
    }

    @GET
    @Operation(summary = "List the tenant's fine-tuning jobs, newest first (after: a job id)")
    @APIResponse(responseCode = "200", description = "a page of jobs")
    @APIResponse(responseCode = "400", description = "a bad limit")
    public Page<OpenAiViews.Job> list(@RestQuery String after,
                                            @RestQuery Integer limit) {
        int n = ApiProblems.limit(limit);
        return Page.fetched(jobs.list(tenant.name(), JobKind.TRAINING, after, n + 1, null, null), n,
                OpenAiViews.Job::of, j -> j.id);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a fine-tuning job")
    @APIResponse(responseCode = "200", description = "the job")
    @APIResponse(responseCode = "404", description = "no such job")
    public OpenAiViews.Job retrieve(@RestPath String id) {
        return OpenAiViews.Job.of(fineTuningJob(id));
    }

    /** Registry-service's evaluation jobs are no fine-tuning jobs in OpenAI's sense: 404 here, as in the listing. */
    private FineTuningJob fineTuningJob(String id) {
        return jobs.get(tenant.name(), id, JobKind.TRAINING);
    }

    @GET
    @Path("/{id}/events")
    @Operation(summary = "List a job's events, newest first (after: an event id, older ones follow)")
    @APIResponse(responseCode = "200", description = "a page of events")
    @APIResponse(responseCode = "400", description = "a bad after or limit")
    @APIResponse(responseCode = "404", description = "no such job")
    public Page<OpenAiViews.Event> events(@RestPath String id,
                                                @RestQuery String after, @RestQuery Integer limit) {
        int n = ApiProblems.limit(limit);
        fineTuningJob(id);
        return Page.fetched(jobs.eventsNewestFirst(tenant.name(), id, Views.afterEvent(after), n + 1), n,
                OpenAiViews.Event::of, e -> Views.eventId(e.seq));
    }

    @GET
    @Path("/{id}/checkpoints")
    @Operation(summary = "List a job's checkpoints, newest first (after: a checkpoint id)")
    @APIResponse(responseCode = "200", description = "a page of checkpoints")
    @APIResponse(responseCode = "400", description = "a bad after or limit")
    @APIResponse(responseCode = "404", description = "no such job")
    public Page<OpenAiViews.Checkpoint> checkpoints(@RestPath String id, @RestQuery String after,
                                                          @RestQuery Integer limit) {
        int n = ApiProblems.limit(limit == null ? 10 : limit);
        FineTuningJob job = fineTuningJob(id);
        List<OpenAiViews.Checkpoint> all = jobs.checkpoints(tenant.name(), id).stream()
                .map((JobCheckpoint c) -> OpenAiViews.Checkpoint.of(job, c)).toList();
        int from = 0;
        if (after != null) {
            from = all.stream().map(OpenAiViews.Checkpoint::id).toList().indexOf(after) + 1;
            if (from == 0) {
                throw new Requests.BadRequest(List.of(new FieldError("after", "after must be a checkpoint id of this job")));
            }
        }
        List<OpenAiViews.Checkpoint> page = all.subList(from, Math.min(all.size(), from + n));
        return Page.of(page, from + n < all.size(), OpenAiViews.Checkpoint::id);
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Cancel a job (idempotent); a running job stops at its worker's next heartbeat")
    @APIResponse(responseCode = "200", description = "the job")
    @APIResponse(responseCode = "404", description = "no such job")
    @APIResponse(responseCode = "409", description = "the job already finished (succeeded or failed)")
    public OpenAiViews.Job cancel(@RestPath String id) {
        fineTuningJob(id);
        return OpenAiViews.Job.of(jobs.cancel(tenant.name(), id));
    }
}
