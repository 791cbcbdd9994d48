package io.peftflow.trainer.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.peftflow.kit.api.Page;
import io.peftflow.kit.tenant.RequestTenant;
import io.peftflow.trainer.jobs.JobEventRow;
import io.peftflow.trainer.jobs.JobKind;
import io.peftflow.trainer.jobs.JobService;
import io.peftflow.trainer.jobs.JobStatus;
import io.peftflow.kit.problem.FieldError;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** {@code /fine-tuning/jobs}, shaped like OpenAI's fine-tuning jobs API; a tenant sees its own jobs only. */
@Path("/fine-tuning/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "fine-tuning", description = "Fine-tuning jobs and retraining policies")
public class JobResource {
    private static final Duration STREAM_POLL = Duration.ofMillis(300);

    private final JobService jobs;
    private final JobCreation creation;
    private final RequestTenant tenant;
    private final StreamSlots streams;

    JobResource(JobService jobs, JobCreation creation, RequestTenant tenant, StreamSlots streams) {
        this.jobs = jobs;
        this.creation = creation;
        this.tenant = tenant;
        this.streams = streams;
    }

    /**
     * Validates the request completely, then queues its job. The same {@code Idempotency-Key} again returns the job it
     * made (200); with a different request it is a 409.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a fine-tuning job", description = "Validated completely before it is queued. The same "
            + "Idempotency-Key again returns the job it made (200). OpenAI's request fields (training_file, "
            + "validation_file, suffix, method.supervised, hyperparameters) are accepted too.")
    @APIResponse(responseCode = "201", description = "the job, queued (validating_files while its training_file's version is announced)")
    @APIResponse(responseCode = "200", description = "the job this Idempotency-Key made before")
    @APIResponse(responseCode = "400", description = "a body of the wrong shape (wrong type, unknown key, missing value) or a bad Idempotency-Key; errors name the fields")
    @APIResponse(responseCode = "409", description = "the Idempotency-Key was used for a different request")
    @APIResponse(responseCode = "429", description = "the tenant has as many unfinished jobs as its quota allows")
    @APIResponse(responseCode = "422", description = "values that make no job: unknown dataset, version, base model or method, bad hyperparameters, a plan that does not fit; errors name the fields")
    public Response create(@RestHeader("Idempotency-Key") String key,
                           JsonNode body, @Context UriInfo uri) {
        JobCreation.Created c = creation.create(tenant.name(), key, body);
        return c.created() ? Response.created(uri.getAbsolutePathBuilder().path(c.job().id).build())
                .entity(Views.JobView.of(c.job())).build() : Response.ok(Views.JobView.of(c.job())).build();
    }

    @GET
    @Operation(summary = "List the tenant's jobs, newest first (after: a job id cursor)", description = "kind: training "
            + "(the default: the tenant's fine-tuning jobs) or evaluation (registry-service's measurements before a "
            + "promotion, registry-service/README.md)")
    @APIResponse(responseCode = "200", description = "a page of jobs")
    @APIResponse(responseCode = "400", description = "a bad limit, status or kind")
    public Page<Views.JobView> list(@RestQuery String after, @RestQuery Integer limit, @RestQuery String status,
                                    @RestQuery String dataset, @RestQuery String kind) {
        int n = ApiProblems.limit(limit);
        JobStatus s = status == null ? null : wire("status", status, JobStatus.values());
        JobKind k = kind == null ? JobKind.TRAINING : wire("kind", kind, JobKind.values());
        return Page.fetched(jobs.list(tenant.name(), k, after, n + 1, s, dataset), n, Views.JobView::of, j -> j.id);
    }

    /** The constant a query parameter names by its lower-case name; else a 400 naming the parameter and the names. */
    private static <E extends Enum<E>> E wire(String field, String value, E[] values) {
        List<String> names = Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT)).toList();
        int i = names.indexOf(value);
        if (i < 0) {
            throw new Requests.BadRequest(List.of(new FieldError(field, field + " must be one of " + names)));
        }
        return values[i];
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a job: status, progress, error, and once succeeded its files, metrics and lineage")
    @APIResponse(responseCode = "200", description = "the job")
    @APIResponse(responseCode = "404", description = "no such job")
    public Views.JobView get(@RestPath String id) {
        return Views.JobView.of(jobs.get(tenant.name(), id));
    }

    /**
     * The job's event log, newest first as OpenAI lists it ({@code after}: an event id, older ones follow); with
     * {@code order=asc}, oldest first after {@code after} — what a client following a job polls.
     */
    @GET
    @Path("/{id}/events")
    @Operation(summary = "List a job's events, newest first (order=asc with after: follow a job)")
    @APIResponse(responseCode = "200", description = "a page of events")
    @APIResponse(responseCode = "400", description = "a bad after, limit or order")
    @APIResponse(responseCode = "404", description = "no such job")
    public Page<Views.EventView> events(@RestPath String id,
                                              @RestQuery String after, @RestQuery Integer limit, @RestQuery String order) {
        int n = ApiProblems.limit(limit);
        Long cursor = Views.afterEvent(after);
        List<JobEventRow> rows;
        if ("asc".equals(order)) {
            rows = jobs.events(tenant.name(), id, cursor == null ? 0 : cursor, n + 1);
        } else if (order == null || "desc".equals(order)) {
            rows = jobs.eventsNewestFirst(tenant.name(), id, cursor, n + 1);
        } else {
            throw new Requests.BadRequest(List.of(new FieldError("order", "order must be asc or desc")));
        }
        return Page.fetched(rows, n, Views.EventView::of, e -> Views.eventId(e.seq));
    }

    @GET
    @Path("/{id}/checkpoints")
    @Operation(summary = "List a job's checkpoints in S3, newest first")
    @APIResponse(responseCode = "200", description = "the checkpoints")
    @APIResponse(responseCode = "404", description = "no such job")
    public Page<Views.CheckpointView> checkpoints(@RestPath String id) {
        return Page.of(jobs.checkpoints(tenant.name(), id).stream().map(Views.CheckpointView::of)
                .toList(), false, Views.CheckpointView::id);
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Cancel a job (idempotent); a running job stops at its worker's next heartbeat")
    @APIResponse(responseCode = "200", description = "the job, cancelled or cancel_requested")
    @APIResponse(responseCode = "404", description = "no such job")
    @APIResponse(responseCode = "409", description = "the job already finished (succeeded or failed)")
    public Views.JobView cancel(@RestPath String id) {
        return Views.JobView.of(jobs.cancel(tenant.name(), id));
    }

    /**
     * Server-Sent Events: every event of the job's log as it happens (the ones before included; resumable with
     * {@code Last-Event-ID}), each named by its type with the event as JSON; the stream ends after the final status.
     */
    @GET
    @Path("/{id}/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Follow a job's events as Server-Sent Events (resumable with Last-Event-ID); ends after its final status")
    @APIResponse(responseCode = "200", description = "the event stream")
    @APIResponse(responseCode = "404", description = "no such job")
    @APIResponse(responseCode = "429", description = "the tenant already has as many open streams as allowed")
    @Blocking // the job lookup before the stream needs a transaction, which the IO thread may not start
    public Multi<OutboundSseEvent> stream(@RestPath String id,
                                          @RestHeader("Last-Event-ID") String lastEventId, @Context Sse sse) {
        String tenant = this.tenant.name();
        jobs.get(tenant, id);
        long start = Math.max(0, Views.eventSeq(lastEventId));
        Runnable release = streams.acquire(tenant);
        // Each poll reads in a transaction on a worker thread: the delay before a repetition fires on the event loop.
        return Multi.createBy().repeating()
                .uni(() -> new StreamCursor(start), c -> Uni.createFrom().item(() -> c.next(jobs, tenant, id))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
                .withDelay(STREAM_POLL)
                .whilst(batch -> !batch.last())
                .onItem().transformToIterable(StreamCursor.Batch::events)
                .map(e -> sse.newEventBuilder().id(e.id()).name(e.type()).mediaType(MediaType.APPLICATION_JSON_TYPE)
                        .data(Views.EventView.class, e).build())
                .onTermination().invoke(release);
    }

    /** Where a stream is in the job's log. */
    static final class StreamCursor {
        private long seq;

        StreamCursor(long seq) {
            this.seq = seq;
        }

        record Batch(List<Views.EventView> events, boolean last) {
        }

        Batch next(JobService jobs, String tenant, String id) {
            // Read the status first: a final status seen here means all of the job's events are already in the log.
            boolean finished = jobs.get(tenant, id).status().terminal();
            List<JobEventRow> rows = jobs.events(tenant, id, seq, 500);
            if (!rows.isEmpty()) {
                seq = rows.get(rows.size() - 1).seq;
            }
            return new Batch(rows.stream().map(Views.EventView::of).toList(), finished && rows.size() < 500);
        }
    }
}
