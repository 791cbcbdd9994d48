package io.peftflow.dataset.api;

import io.peftflow.kit.limits.TextLimits;
import io.peftflow.kit.api.Page;
import io.peftflow.dataset.Problems;
import io.peftflow.dataset.balancing.BalanceStrategy;
import io.peftflow.dataset.batch.BatchInputFiles;
import io.peftflow.dataset.catalog.DatasetService;
import io.peftflow.dataset.catalog.DatasetVersion;
import io.peftflow.dataset.catalog.VersionReads;
import io.peftflow.dataset.storage.DatasetObjects;
import io.peftflow.dataset.upload.UploadRequest;
import io.peftflow.dataset.upload.UploadService;
import io.peftflow.dataset.upload.UploadSpooler;
import io.peftflow.events.contract.FileId;
import io.peftflow.events.contract.ResourceName;
import io.peftflow.kit.problem.ProblemException;
import io.peftflow.kit.tenant.RequestTenant;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code /files}: OpenAI's files API over the datasets, so OpenAI's SDKs upload training data unmodified. An uploaded
 * file becomes the next version of the dataset named after it ({@code transactions.jsonl} -> {@code transactions}),
 * validated and split like any upload with the defaults; its id names that version ({@link FileId.DatasetVersion}).
 * A Batch API input file ({@code purpose=batch}) is stored raw after every line is checked
 * ({@link BatchInputFiles}). The jobs' result files ({@code file-ftjob-...}) are trainer-service's and the batches'
 * output files ({@code file-batch_...}) inference-service's: the gateway routes their ids there.
 */
@Path("/files")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "files (OpenAI)", description = "Uploaded training files and the jobs' result files, as OpenAI's files API")
public class FileResource {
    static final String PURPOSE = "fine-tune";
    static final String BATCH_PURPOSE = "batch";
    private static final String FALLBACK_NAME = "file";

    private final UploadService uploads;
    private final DatasetService datasets;
    private final VersionReads reads;
    private final DatasetObjects objects;
    private final BatchInputFiles batchInputs;
    private final RequestTenant tenant;

    public FileResource(UploadService uploads, DatasetService datasets, VersionReads reads, DatasetObjects objects,
                        BatchInputFiles batchInputs, RequestTenant tenant) {
        this.batchInputs = batchInputs;
        this.uploads = uploads;
        this.datasets = datasets;
        this.reads = reads;
        this.objects = objects;
        this.tenant = tenant;
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Upload a training file (purpose=fine-tune) or a Batch API input file (purpose=batch)",
            description = "fine-tune: stored as the next version of the dataset named after the file, with the upload "
                    + "defaults (invalid lines rejected, no balancing, the dataset's validation fraction). batch: JSONL "
                    + "lines {custom_id, method: POST, url: /v1/classify, body: {model, input, top_k?}}, stored as sent "
                    + "once every line is valid.")
    @APIResponse(responseCode = "200", description = "the file (a dataset version, ready; or a batch input file)")
    @APIResponse(responseCode = "400", description = "no file, a purpose other than fine-tune or batch, or (batch) "
            + "bad lines: errors lists them with line, field and reason")
    @APIResponse(responseCode = "413", description = "larger than the service's upload limit")
    @APIResponse(responseCode = "422", description = "training content rejected; errors lists the lines at fault")
    public Views.FileView create(@RestForm String purpose,
                                 @RestForm("file") FileUpload file) {
        if (!PURPOSE.equals(purpose) && !BATCH_PURPOSE.equals(purpose)) {
            throw Problems.badRequest("purpose must be " + PURPOSE + " or " + BATCH_PURPOSE + ", got "
                    + (purpose == null ? "nothing" : "'" + TextLimits.abbreviate(purpose) + "'"));
        }
        if (file == null) {
            throw Problems.badRequest("multipart upload needs a form field 'file'");
        }
        if (BATCH_PURPOSE.equals(purpose)) {
            return Views.FileView.of(batchInputs.store(tenant.name(), file.uploadedFile(), file.fileName()));
        }
        UploadRequest request = new UploadRequest(tenant.name(), datasetName(file.fileName()), false, false,
                BalanceStrategy.NONE, null, 0, null, null);
        try {
            return Views.FileView.of(uploads.upload(request, UploadSpooler.adopt(file.uploadedFile(),
                    uploads.maxUploadBytes())).version());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GET
    @Operation(summary = "List the tenant's training files (or, purpose=batch, its batch input files), newest first (after: a file id)")
    @APIResponse(responseCode = "200", description = "a page of files")
    @APIResponse(responseCode = "400", description = "a bad after, limit or order")
    public Page<Views.FileView> list(@RestQuery String after, @RestQuery String limit, @RestQuery String purpose,
                                     @RestQuery String order) {
        int n = DatasetResource.count("limit", limit, 20, 1, 100);
        if (order != null && !order.equals("desc")) {
            throw Problems.badRequest("order must be desc (newest first), got '" + TextLimits.abbreviate(order) + "'");
        }
        if (BATCH_PURPOSE.equals(purpose)) {
            FileId.BatchInput from = after == null ? null : batchInput(after).id();
            return Page.fetched(batchInputs.newestFirst(tenant.name(), from, n), n, Views.FileView::of, f -> f.id().value());
        }
        if (purpose != null && !purpose.equals(PURPOSE)) {
            // The jobs' result files are listed on their jobs, the batches' output files on their batches.
            return Page.of(List.of(), false, Views.FileView::id);
        }
        Long before = after == null ? null : version(after).id;
        List<DatasetVersion> page = reads.newestFirst(tenant.name(), before, n + 1);
        return Page.fetched(page.stream().map(Views.FileView::of).toList(), n, f -> f, Views.FileView::id);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a training file")
    @APIResponse(responseCode = "200", description = "the file")
    @APIResponse(responseCode = "404", description = "no such file")
    public Views.FileView retrieve(@RestPath String id) {
        return FileId.parse(id).orElse(null) instanceof FileId.BatchInput
                ? Views.FileView.of(batchInput(id)) : Views.FileView.of(version(id));
    }

    @GET
    @Path("/{id}/content")
    @Produces(MediaType.WILDCARD) // OpenAI's SDKs ask for application/binary
    @Operation(summary = "Download a training file as it was uploaded")
    @APIResponse(responseCode = "200", description = "the file's bytes")
    @APIResponse(responseCode = "404", description = "no such file")
    public Response content(@RestPath String id) {
        if (FileId.parse(id).orElse(null) instanceof FileId.BatchInput) {
            BatchInputFiles.Stored file = batchInput(id);
            return attachment(batchInputs.content(tenant.name(), file.id()), file.filename());
        }
        DatasetVersion v = version(id);
        return attachment(objects.get(v.keys().raw()), Views.FileView.of(v).filename());
    }

    private static Response attachment(InputStream content, String filename) {
        return Response.ok(content, MediaType.APPLICATION_OCTET_STREAM)
                .header("Content-Disposition", "attachment; filename=\"" + filename.replaceAll("[\"\\\\\\r\\n]", "_") + "\"")
                .build();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a file: a training file's dataset version is deleted (soft), a batch input file's object")
    @APIResponse(responseCode = "200", description = "deleted")
    @APIResponse(responseCode = "404", description = "no such file")
    public Views.DeletedFile delete(@RestPath String id) {
        if (FileId.parse(id).orElse(null) instanceof FileId.BatchInput) {
            batchInputs.delete(tenant.name(), batchInput(id).id());
            return new Views.DeletedFile(id, "file", true);
        }
        DatasetVersion v = version(id);
        datasets.delete(tenant.name(), v.dataset.name, v.version);
        return new Views.DeletedFile(id, "file", true);
    }

    /** The ready version a dataset file id names; 404 for anything else (a deleted version is no file any more). */
    private DatasetVersion version(String id) {
        if (FileId.parse(id).orElse(null) instanceof FileId.DatasetVersion file) {
            DatasetVersion v = reads.visible(tenant.name(), file.dataset(), file.version()).orElse(null);
            if (v != null && v.deletedAt == null) {
                return v;
            }
        }
        throw new ProblemException(Response.Status.NOT_FOUND, "no file '" + TextLimits.abbreviate(id) + "'");
    }

    /** The tenant's batch input file an id names; 404 for anything else. */
    private BatchInputFiles.Stored batchInput(String id) {
        if (FileId.parse(id).orElse(null) instanceof FileId.BatchInput file) {
            Optional<BatchInputFiles.Stored> stored = batchInputs.find(tenant.name(), file);
            if (stored.isPresent()) {
                return stored.get();
            }
        }
        throw new ProblemException(Response.Status.NOT_FOUND, "no file '" + TextLimits.abbreviate(id) + "'");
    }

    /**
     * The dataset an uploaded file goes to: its name without directories and extensions, lower case, every other
     * character a {@code -}; {@code file} when nothing is left.
     */
    static String datasetName(String fileName) {
        String base = fileName == null ? "" : fileName.substring(Math.max(fileName.lastIndexOf('/'),
                fileName.lastIndexOf('\\')) + 1);
        int dot = base.indexOf('.');
        String stem = (dot < 0 ? base : base.substring(0, dot)).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-").replaceAll("^-+", "");
        String cut = stem.length() > ResourceName.MAX_LENGTH ? stem.substring(0, ResourceName.MAX_LENGTH) : stem;
        cut = cut.replaceAll("-+$", "");
        return cut.isEmpty() ? FALLBACK_NAME : cut;
    }
}
