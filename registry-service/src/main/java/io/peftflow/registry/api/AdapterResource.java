package io.peftflow.registry.api;

import io.peftflow.kit.api.Page;
import io.peftflow.events.contract.ResourceName;
import io.peftflow.kit.limits.TextLimits;
import io.peftflow.kit.problem.ProblemException;
import io.peftflow.kit.tenant.RequestTenant;
import io.peftflow.registry.RegistryConfig;
import io.peftflow.registry.catalog.Adapter;
import io.peftflow.registry.catalog.AdapterListing;
import io.peftflow.registry.catalog.AdapterService;
import io.peftflow.registry.catalog.AdapterVersion;
import io.peftflow.registry.promotion.Direction;
import io.peftflow.registry.promotion.Metric;
import io.peftflow.registry.evaluation.EvaluationSets;
import io.peftflow.registry.promotion.PromotionPolicy;
import io.peftflow.registry.storage.AdapterObjects;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The adapter registry API: thin over {@link AdapterService}, {@link AdapterListing} and {@link Comparisons}; a
 * tenant sees its own adapters only. Every error is problem+json.
 */
@Path("/adapters")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "adapters", description = "The adapter registry: versions with metrics and lineage, aliases, tags, downloads")
public class AdapterResource {
    private static final Pattern TAG_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");
    private static final int MAX_TAG_VALUE = 256;

    private final AdapterService adapters;
    private final AdapterListing listing;
    private final AdapterObjects objects;
    private final RegistryConfig config;
    private final RequestTenant tenant;
    private final EvaluationSets evaluationSets;

    public AdapterResource(AdapterService adapters, AdapterListing listing, AdapterObjects objects,
                           RegistryConfig config, RequestTenant tenant, EvaluationSets evaluationSets) {
        this.adapters = adapters;
        this.listing = listing;
        this.objects = objects;
        this.config = config;
        this.tenant = tenant;
        this.evaluationSets = evaluationSets;
    }

    /**
     * The tenant's adapters with their headline version. Filters: {@code base_model}, {@code method}, {@code dataset}
     * (of the headline), {@code tag} ({@code key} or {@code key=value}, on any listed version). {@code sort}: a
     * metric (best first; {@code order=asc|desc} to override) or {@code name} (default).
     */
    @GET
    @Operation(summary = "List adapters with their headline version (the champion, else the latest ready one)")
    @APIResponse(responseCode = "200", description = "a page of adapters")
    @APIResponse(responseCode = "400", description = "a bad filter, sort, order, limit or after")
    public Page<Views.AdapterSummary> list(@RestQuery("base_model") String baseModel, @RestQuery String method,
                                           @RestQuery String dataset, @RestQuery String tag,
                                           @RestQuery String sort, @RestQuery String order,
                                           @RestQuery String limit, @RestQuery String after) {
        Metric metric = sort == null || sort.equals("name") ? null : Metric.parse(sort).orElseThrow(() ->
                badRequest("sort must be name or a metric " + Metric.names() + ", got '" + sort + "'"));
        boolean ascending = order == null ? metric == null || metric.better() == Direction.LOWER
                : switch (order) {
                    case "asc" -> true;
                    case "desc" -> false;
                    default -> throw badRequest("order must be asc or desc, got '" + order + "'");
                };
        String tagKey = null;
        String tagValue = null;
        if (tag != null) {
            int eq = tag.indexOf('=');
            tagKey = tagKey(eq < 0 ? tag : tag.substring(0, eq));
            tagValue = eq < 0 ? null : tag.substring(eq + 1);
        }
        int n = limit(limit);
        List<AdapterListing.Row> rows = listing.list(new AdapterListing.Query(tenant.name(), baseModel, method,
                dataset, tagKey, tagValue, metric, ascending, Cursors.adaptersAfter(after, metric), n + 1));
        return Page.fetched(rows, n, Views.AdapterSummary::of, row -> Cursors.adapters(metric, row));
    }

    /** {@code /adapters/{name}}: the adapter; {@code /adapters/{name}@{alias}}: the version the alias points at. */
    @GET
    @Path("/{ref}")
    @Operation(summary = "Get an adapter (name), or the version an alias points at (name@alias)")
    @APIResponse(responseCode = "200", description = "the adapter: latest number, aliases, policy; or, for name@alias, the version")
    @APIResponse(responseCode = "400", description = "a bad adapter or alias name")
    @APIResponse(responseCode = "404", description = "no such adapter, or no such alias")
    public Object get(@RestPath String ref) {
        String t = tenant.name();
        int at = ref.indexOf('@');
        if (at >= 0) {
            String name = ResourceName.check("adapter name", ref.substring(0, at));
            String alias = ResourceName.check("alias", ref.substring(at + 1));
            return view(name, adapters.resolve(t, name, alias));
        }
        Adapter a = adapters.adapter(t, ResourceName.check("adapter name", ref));
        return Views.AdapterDetail.of(a, adapters.aliases(a));
    }

    @GET
    @Path("/{name}/versions")
    @Operation(summary = "List an adapter's versions, ascending")
    @APIResponse(responseCode = "200", description = "a page of versions")
    @APIResponse(responseCode = "400", description = "a bad adapter name, limit or after")
    @APIResponse(responseCode = "404", description = "no such adapter")
    public Page<Views.VersionSummary> versions(@RestPath String name,
                                               @RestQuery String limit, @RestQuery String after) {
        int n = limit(limit);
        List<AdapterVersion> page = adapters.versions(tenant.name(), ResourceName.check("adapter name", name),
                after == null ? 0 : positive("after", after), n + 1);
        return Page.fetched(page, n, Views.VersionSummary::of, v -> Integer.toString(v.version));
    }

    @GET
    @Path("/{name}/versions/{version}")
    @Operation(summary = "Get a version: status, aliases, metrics, promotion decision, files, lineage, tags")
    @APIResponse(responseCode = "200", description = "the version")
    @APIResponse(responseCode = "400", description = "a bad adapter name or version number")
    @APIResponse(responseCode = "404", description = "no such adapter or version")
    public Views.VersionView version(@RestPath String name,
                                     @RestPath String version) {
        String t = tenant.name();
        String n = ResourceName.check("adapter name", name);
        return view(n, adapters.detail(t, n, positive("version", version)));
    }

    /** One file of a ready version, streamed from S3. */
    @GET
    @Path("/{name}/versions/{version}/files/{file}")
    @Operation(summary = "Download one file of a version (ETag: its SHA-256)")
    @APIResponse(responseCode = "200", description = "the file, streamed")
    @APIResponse(responseCode = "400", description = "a bad adapter name or version number")
    @APIResponse(responseCode = "404", description = "no such adapter, version or file")
    @APIResponse(responseCode = "409", description = "the version failed registration")
    @APIResponse(responseCode = "410", description = "the version is archived")
    @Produces(MediaType.WILDCARD)
    public Response file(@RestPath String name, @RestPath String version,
                         @RestPath String file) {
        String t = tenant.name();
        AdapterVersion v = adapters.servable(t, ResourceName.check("adapter name", name), positive("version", version));
        Map<String, Object> entry = v.files.stream().filter(f -> file.equals(f.get("name"))).findFirst()
                .orElseThrow(() -> new ProblemException(Response.Status.NOT_FOUND, "version " + v.version
                        + " of adapter '" + name + "' has no file '" + file + "'; it has " + v.fileNames()));
        return Response.ok(objects.get(t, name, v.version, file), AdapterObjects.contentType(file))
                .header("Content-Length", entry.get("bytes"))
                .header("ETag", "\"" + entry.get("sha256") + "\"")
                .header("Content-Disposition", "attachment; filename=\"" + file + "\"")
                .build();
    }

    /** The adapter directory as one zip, {@code <name>-v<N>/...}: unpack and point PEFT, vLLM or LoRAX at it. */
    @GET
    @Path("/{name}/versions/{version}/download")
    @Operation(summary = "Download a version as <name>-v<N>.zip (a PEFT adapter directory)")
    @APIResponse(responseCode = "200", description = "the zip, streamed")
    @APIResponse(responseCode = "400", description = "a bad adapter name or version number")
    @APIResponse(responseCode = "404", description = "no such adapter or version")
    @APIResponse(responseCode = "409", description = "the version failed registration")
    @APIResponse(responseCode = "410", description = "the version is archived")
    @Produces("application/zip")
    public Response download(@RestPath String name, @RestPath String version) {
        String t = tenant.name();
        AdapterVersion v = adapters.servable(t, ResourceName.check("adapter name", name), positive("version", version));
        String dir = name + "-v" + v.version;
        List<String> files = v.fileNames();
        StreamingOutput body = out -> objects.zip(t, name, v.version, dir, files, out);
        return Response.ok(body, "application/zip")
                .header("Content-Disposition", "attachment; filename=\"" + dir + ".zip\"").build();
    }

    @GET
    @Path("/{name}/compare")
    @Operation(summary = "Compare two versions: metric deltas (b - a), method-config and lineage differences")
    @APIResponse(responseCode = "200", description = "the comparison")
    @APIResponse(responseCode = "400", description = "a or b missing or not a version number, or a bad adapter name")
    @APIResponse(responseCode = "404", description = "no such adapter or version")
    public Views.Comparison compare(@RestPath String name,
                                    @RestQuery String a, @RestQuery String b) {
        if (a == null || b == null) {
            throw badRequest("compare needs ?a=<version>&b=<version>");
        }
        String t = tenant.name();
        String n = ResourceName.check("adapter name", name);
        int va = positive("a", a);
        int vb = positive("b", b);
        return Comparisons.compare(n, adapters.detail(t, n, va), adapters.detail(t, n, vb),
                new Views.Chains(adapters.chain(t, n, va), adapters.chain(t, n, vb)));
    }

    @GET
    @Path("/{name}/aliases/{alias}")
    @Operation(summary = "Get an alias: its current version and the history of its moves")
    @APIResponse(responseCode = "200", description = "the alias")
    @APIResponse(responseCode = "400", description = "a bad adapter or alias name")
    @APIResponse(responseCode = "404", description = "no such adapter or alias")
    public Views.AliasView alias(@RestPath String name,
                                 @RestPath String alias) {
        String t = tenant.name();
        String n = ResourceName.check("adapter name", name);
        String al = ResourceName.check("alias", alias);
        var history = adapters.history(t, n, al).stream().map(Views.Move::of).toList();
        Integer current = adapters.aliases(adapters.adapter(t, n)).stream().filter(x -> x.alias.equals(al))
                .map(x -> x.version).findFirst().orElse(null);
        if (current == null && history.isEmpty()) {
            throw new ProblemException(Response.Status.NOT_FOUND, "adapter '" + n + "' has no alias '" + al + "'");
        }
        return new Views.AliasView(al, current, history);
    }

    /** Points an alias at a ready version: promote, or roll back ({@code champion} moves announce a promotion). */
    @PUT
    @Path("/{name}/aliases/{alias}")
    @Operation(summary = "Point an alias at a ready version (champion: promote or roll back)")
    @APIResponse(responseCode = "200", description = "the alias with its history")
    @APIResponse(responseCode = "400", description = "a bad adapter or alias name, a body without a positive version, or a reason over 1,000 characters")
    @APIResponse(responseCode = "404", description = "no such adapter or version")
    @APIResponse(responseCode = "409", description = "the version is not ready (failed registration or archived)")
    public Views.AliasView putAlias(@RestPath String name,
                                    @RestPath String alias, Requests.AliasRequest body) {
        String t = tenant.name();
        String n = ResourceName.check("adapter name", name);
        String al = ResourceName.check("alias", alias);
        if (body == null || body.version() == null || body.version() <= 0) {
            throw badRequest("body must be {\"version\": <positive integer>, \"reason\": \"...\"}");
        }
        adapters.moveAlias(t, n, al, body.version(), TextLimits.atMost("reason", body.reason(), TextLimits.FREE_TEXT));
        return alias(name, alias);
    }

    @DELETE
    @Path("/{name}/aliases/{alias}")
    @Operation(summary = "Remove an alias (kept in its history)")
    @APIResponse(responseCode = "204", description = "removed")
    @APIResponse(responseCode = "400", description = "a bad adapter or alias name, or a reason over 1,000 characters")
    @APIResponse(responseCode = "404", description = "no such adapter or alias")
    public Response deleteAlias(@RestPath String name, @RestPath String alias,
                                @RestQuery String reason) {
        adapters.deleteAlias(tenant.name(), ResourceName.check("adapter name", name), ResourceName.check("alias", alias),
                TextLimits.atMost("reason", reason, TextLimits.FREE_TEXT));
        return Response.noContent().build();
    }

    @PUT
    @Path("/{name}/versions/{version}/tags/{key}")
    @Operation(summary = "Set a tag on a version")
    @APIResponse(responseCode = "200", description = "the version's tags")
    @APIResponse(responseCode = "400", description = "a bad adapter name, version number, tag key or value")
    @APIResponse(responseCode = "404", description = "no such adapter or version")
    public Map<String, String> putTag(@RestPath String name,
                                      @RestPath String version, @RestPath String key, Requests.TagRequest body) {
        String t = tenant.name();
        String n = ResourceName.check("adapter name", name);
        String k = tagKey(key);
        if (body == null || body.value() == null || body.value().isEmpty() || body.value().length() > MAX_TAG_VALUE
                || body.value().chars().anyMatch(Character::isISOControl)) {
            throw badRequest("body must be {\"value\": \"...\"}: 1 to " + MAX_TAG_VALUE
                    + " characters without control characters");
        }
        int v = positive("version", version);
        adapters.putTag(t, n, v, k, body.value());
        return view(n, adapters.detail(t, n, v)).tags();
    }

    @DELETE
    @Path("/{name}/versions/{version}/tags/{key}")
    @Operation(summary = "Remove a tag from a version")
    @APIResponse(responseCode = "204", description = "removed")
    @APIResponse(responseCode = "400", description = "a bad adapter name, version number or tag key")
    @APIResponse(responseCode = "404", description = "no such adapter, version or tag")
    public Response deleteTag(@RestPath String name, @RestPath String version,
                              @RestPath String key) {
        adapters.deleteTag(tenant.name(), ResourceName.check("adapter name", name), positive("version", version), tagKey(key));
        return Response.noContent().build();
    }

    @PUT
    @Path("/{name}/policy")
    @Operation(summary = "Set the adapter's promotion policy (applies to later registrations)")
    @APIResponse(responseCode = "200", description = "the policy")
    @APIResponse(responseCode = "400", description = "an unknown metric or direction, a negative minImprovement, a bad evaluationSet or bootstrap, or a bad adapter name")
    @APIResponse(responseCode = "404", description = "no such adapter")
    @APIResponse(responseCode = "422", description = "an evaluationSet that is not known, was deleted, or shares examples with the training split of a version it would measure")
    public Views.PolicyView putPolicy(@RestPath String name,
                                      Requests.PolicyRequest body) {
        if (body == null || body.metric() == null) {
            throw badRequest("body must name a metric " + Metric.names());
        }
        Metric metric = Metric.parse(body.metric()).orElseThrow(() ->
                badRequest("unknown metric '" + body.metric() + "'; known: " + Metric.names()));
        Direction direction = body.direction() == null ? metric.better() : Direction.parse(body.direction())
                .orElseThrow(() -> badRequest("direction must be higher or lower, got '" + body.direction() + "'"));
        PromotionPolicy policy;
        try {
            policy = new PromotionPolicy(metric, direction, body.minImprovement() == null ? 0 : body.minImprovement(),
                    body.mustBeatMajority() == null || body.mustBeatMajority(), pinnedSet(body.evaluationSet()),
                    bootstrap(body.bootstrap()));
        } catch (IllegalArgumentException e) {
            throw badRequest(e.getMessage());
        }
        String adapter = ResourceName.check("adapter name", name);
        if (policy.evaluationSet() != null) {
            evaluationSets.check(tenant.name(), adapter, policy.evaluationSet());
        }
        Adapter a = adapters.setPolicy(tenant.name(), adapter, policy);
        return Views.PolicyView.of(a.policy());
    }

    private static PromotionPolicy.PinnedSet pinnedSet(Requests.EvaluationSetRequest set) {
        if (set == null) {
            return null;
        }
        if (set.version() == null || set.version() < 1) {
            throw new IllegalArgumentException("evaluationSet.version must be a dataset version >= 1, got "
                    + set.version());
        }
        return new PromotionPolicy.PinnedSet(ResourceName.check("evaluationSet.dataset", set.dataset()), set.version());
    }

    private static PromotionPolicy.Bootstrap bootstrap(Requests.BootstrapRequest b) {
        return b == null ? null : new PromotionPolicy.Bootstrap(
                b.samples() == null ? PromotionPolicy.Bootstrap.DEFAULT_SAMPLES : b.samples(),
                b.confidence() == null ? PromotionPolicy.Bootstrap.DEFAULT_CONFIDENCE : b.confidence(),
                b.seed() == null ? 0 : b.seed());
    }

    /** Archives the version: metadata kept, files no longer served. */
    @DELETE
    @Path("/{name}/versions/{version}")
    @Operation(summary = "Archive a version: metadata kept, files no longer served, its aliases removed (idempotent)")
    @APIResponse(responseCode = "204", description = "archived")
    @APIResponse(responseCode = "400", description = "a bad adapter name or version number")
    @APIResponse(responseCode = "404", description = "no such adapter or version")
    @APIResponse(responseCode = "409", description = "the version is the champion (move the champion first) or ready "
            + "versions are stacked on it (archive those first)")
    public Response archive(@RestPath String name, @RestPath String version) {
        adapters.archive(tenant.name(), ResourceName.check("adapter name", name), positive("version", version));
        return Response.noContent().build();
    }

    private static Views.VersionView view(String name, AdapterService.VersionDetail d) {
        return Views.VersionView.of(name, d.version(), d.aliases(), d.lineage(), d.tags());
    }

    private int limit(String limit) {
        if (limit == null) {
            return config.defaultPageSize();
        }
        try {
            int n = Integer.parseInt(limit);
            if (n >= 1 && n <= config.maxPageSize()) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw badRequest("limit must be an integer from 1 to " + config.maxPageSize() + ", got '" + limit + "'");
    }

    private static String tagKey(String key) {
        if (key == null || !TAG_KEY.matcher(key).matches()) {
            throw badRequest("tag key must match " + TAG_KEY.pattern() + ", got '" + key + "'");
        }
        return key;
    }

    private static int positive(String field, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw badRequest(field + " must be a positive integer, got '" + TextLimits.abbreviate(value) + "'");
    }

    private static ProblemException badRequest(String detail) {
        return new ProblemException(Response.Status.BAD_REQUEST, detail);
    }
}
