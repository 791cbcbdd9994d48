package io.peftflow.dataset.api;

import io.peftflow.kit.api.Page;
import io.peftflow.dataset.Problems;
import io.peftflow.dataset.catalog.DatasetService;
import io.peftflow.dataset.catalog.DatasetVersion;
import io.peftflow.dataset.storage.DatasetObjects;
import io.peftflow.dataset.storage.VersionKeys;
import io.peftflow.dataset.upload.RawUpload;
import io.peftflow.dataset.upload.UploadService;
import io.peftflow.dataset.upload.UploadSpooler;
import io.peftflow.events.contract.ResourceName;
import io.peftflow.kit.tenant.RequestTenant;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;

/** The dataset API: thin over {@link UploadService} and {@link DatasetService}; the tenant is the {@code X-Tenant} header. */
@Path("/datasets")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "datasets", description = "Upload, validate, balance, split and version training data")
public class DatasetResource {
    static final String NDJSON = "application/x-ndjson";

    private final UploadService uploads;
    private final DatasetService datasets;
    private final DatasetObjects objects;
    private final RequestTenant tenant;

    public DatasetResource(UploadService uploads, DatasetService datasets, DatasetObjects objects, RequestTenant tenant) {
        this.tenant = tenant;
        this.uploads = uploads;
        this.datasets = datasets;
        this.objects = objects;
    }

    /** Upload as multipart form field {@code file} (Quarkus has already spooled it to disk). */
    @POST
    @Path("/{name}/versions")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Upload a new version as a multipart form (field file)")
    @APIResponse(responseCode = "201", description = "the new version, ready; Location names it")
    @APIResponse(responseCode = "400", description = "a bad dataset name or query parameter (balance, on_invalid, validation_fraction, ...)")
    @APIResponse(responseCode = "409", description = "a concurrent first upload of the dataset with other split settings")
    @APIResponse(responseCode = "413", description = "larger than the service's upload limit")
    @APIResponse(responseCode = "422", description = "content rejected (bad lines with on_invalid=reject, too few examples, a decompression bomb); errors lists the lines at fault")
    public Response uploadForm(@BeanParam UploadParams params, @RestForm("file") FileUpload file, UriInfo uri) {
        var request = params.toRequest(tenant.name());
        if (file == null) {
            throw Problems.badRequest("multipart upload needs a form field 'file'");
        }
        try {
            return created(uploads.upload(request, UploadSpooler.adopt(file.uploadedFile(), uploads.maxUploadBytes())), uri);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Upload as the raw body: JSONL, or gzip-compressed JSONL (recognised by its magic bytes). */
    @POST
    @Path("/{name}/versions")
    @Consumes({NDJSON, "application/jsonl", "application/json", "text/plain", "application/gzip", MediaType.APPLICATION_OCTET_STREAM})
    @Operation(summary = "Upload a new version as the raw body: JSONL, or gzip-compressed JSONL")
    @APIResponse(responseCode = "201", description = "the new version, ready; Location names it")
    @APIResponse(responseCode = "400", description = "a bad dataset name or query parameter (balance, on_invalid, validation_fraction, ...)")
    @APIResponse(responseCode = "409", description = "a concurrent first upload of the dataset with other split settings")
    @APIResponse(responseCode = "413", description = "larger than the service's upload limit")
    @APIResponse(responseCode = "422", description = "content rejected (bad lines with on_invalid=reject, too few examples, a decompression bomb); errors lists the lines at fault")
    public Response uploadBody(@BeanParam UploadParams params, @RestHeader("Content-Length") Long contentLength,
                               InputStream body, UriInfo uri) {
        var request = params.toRequest(tenant.name());
        long max = uploads.maxUploadBytes();
        if (contentLength != null && contentLength > max) {
            throw UploadSpooler.tooLarge(max);
        }
        java.nio.file.Path spool = null;
        try {
            spool = Files.createTempFile(uploads.workDir(), "raw-", ".upload");
            RawUpload raw = UploadSpooler.spool(body, spool, max);
            return created(uploads.upload(request, raw), uri);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(spool);
        }
    }

    private Response created(UploadService.Outcome outcome, UriInfo uri) {
        DatasetVersion v = outcome.version();
        return Response.created(uri.getAbsolutePathBuilder().path(Integer.toString(v.version)).build())
                .entity(Views.VersionView.of(v, objects, outcome.droppedLines())).build();
    }

    @GET
    @Operation(summary = "List the tenant's datasets with their latest version, by name (after: a dataset name)")
    @APIResponse(responseCode = "200", description = "a page of datasets")
    @APIResponse(responseCode = "400", description = "a bad after or limit")
    public Page<Views.DatasetView> list(@RestQuery String after, @RestQuery String limit) {
        int n = count("limit", limit, 100, 1, 1000);
        String from = after == null ? null : ResourceName.check("after", after);
        return Page.fetched(datasets.list(tenant.name(), from, n + 1), n, Views.DatasetView::of,
                listing -> listing.dataset().name);
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "Get a dataset: split settings, version count and newest version")
    @APIResponse(responseCode = "200", description = "the dataset")
    @APIResponse(responseCode = "400", description = "a bad dataset name")
    @APIResponse(responseCode = "404", description = "no such dataset")
    public Views.DatasetDetail get(@RestPath String name) {
        return Views.DatasetDetail.of(datasets.latest(tenant.name(), ResourceName.check("dataset name", name)), objects);
    }

    /** The versions oldest first, {@code limit} (default 100, at most 1000) after version {@code after}. */
    @GET
    @Path("/{name}/versions")
    @Operation(summary = "List a dataset's versions, oldest first (after: a version number)")
    @APIResponse(responseCode = "200", description = "a page of versions")
    @APIResponse(responseCode = "400", description = "a bad dataset name, after or limit")
    @APIResponse(responseCode = "404", description = "no such dataset")
    public Page<Views.VersionView> versions(@RestPath String name,
                                            @RestQuery String after, @RestQuery String limit) {
        int from = count("after", after, 0, 0, Integer.MAX_VALUE);
        int n = count("limit", limit, 100, 1, 1000);
        return Page.fetched(datasets.versions(tenant.name(), ResourceName.check("dataset name", name), from, n + 1), n,
                v -> Views.VersionView.of(v, objects, null), v -> Integer.toString(v.version));
    }

    @GET
    @Path("/{name}/versions/{version}")
    @Operation(summary = "Get a version: status, format, counts, hashes, URIs and the report's summary")
    @APIResponse(responseCode = "200", description = "the version")
    @APIResponse(responseCode = "400", description = "a bad dataset name or version number")
    @APIResponse(responseCode = "404", description = "no such dataset or version")
    public Views.VersionView version(@RestPath String name, @RestPath String version) {
        return Views.VersionView.of(datasets.version(tenant.name(), ResourceName.check("dataset name", name), number(version)), objects, null);
    }

    /** The full report: summary and every rejected line. */
    @GET
    @Path("/{name}/versions/{version}/report")
    @Operation(summary = "Get a version's validation report, every rejected line included")
    @APIResponse(responseCode = "200", description = "the report (JSON)")
    @APIResponse(responseCode = "400", description = "a bad dataset name or version number")
    @APIResponse(responseCode = "404", description = "no such dataset or version")
    @APIResponse(responseCode = "410", description = "the version was deleted")
    public Response report(@RestPath String name, @RestPath String version) {
        DatasetVersion v = datasets.servable(tenant.name(), ResourceName.check("dataset name", name), number(version));
        return Response.ok(objects.get(v.keys().report()), MediaType.APPLICATION_JSON).build();
    }

    @GET
    @Path("/{name}/versions/{version}/splits/{split}")
    @Produces(NDJSON)
    @Operation(summary = "Download a version's train or validation split as JSONL")
    @APIResponse(responseCode = "200", description = "the split, streamed")
    @APIResponse(responseCode = "400", description = "a bad dataset name, version number or split (train or validation)")
    @APIResponse(responseCode = "404", description = "no such dataset or version")
    @APIResponse(responseCode = "410", description = "the version was deleted")
    public Response split(@RestPath String name, @RestPath String version,
                          @RestPath String split) {
        if (!VersionKeys.TRAIN.equals(split) && !VersionKeys.VALIDATION.equals(split)) {
            throw Problems.badRequest("split must be train or validation, got '" + split + "'");
        }
        DatasetVersion v = datasets.servable(tenant.name(), ResourceName.check("dataset name", name), number(version));
        return Response.ok(objects.get(v.keys().split(split)), NDJSON)
                .header("Content-Disposition", "attachment; filename=\"" + name + "-v" + v.version + "-" + split + ".jsonl\"")
                .build();
    }

    /** Soft delete. */
    @DELETE
    @Path("/{name}/versions/{version}")
    @Operation(summary = "Delete a version (soft: metadata kept, splits no longer served; idempotent)")
    @APIResponse(responseCode = "204", description = "deleted")
    @APIResponse(responseCode = "400", description = "a bad dataset name or version number")
    @APIResponse(responseCode = "404", description = "no such dataset or version")
    public Response delete(@RestPath String name, @RestPath String version) {
        datasets.delete(tenant.name(), ResourceName.check("dataset name", name), number(version));
        return Response.noContent().build();
    }

    /** A count parameter ({@code limit}, {@code after}) in {@code [min, max]}; {@code absent} without it; else a 400. */
    static int count(String param, String value, int absent, int min, int max) {
        if (value == null) {
            return absent;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw Problems.badRequest(param + " must be an integer from " + min + " to " + max + ", got '" + value + "'");
    }

    private static int number(String version) {
        try {
            int n = Integer.parseInt(version);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw Problems.badRequest("version must be a positive integer, got '" + version + "'");
    }

    private static void deleteQuietly(java.nio.file.Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temp file is harmless; the upload's outcome matters more
            }
        }
    }
}
