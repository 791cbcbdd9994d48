package io.peftflow.registry.catalog;

import io.peftflow.events.adapter.AdapterVersionArchived;
import io.peftflow.kit.problem.ProblemException;
import io.peftflow.registry.events.AdapterEvents;
import io.peftflow.registry.promotion.PromotionPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.Response;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Reading and changing a tenant's adapters through the API; a tenant never sees another's. Every change locks the
 * adapter row first, so it serialises with registrations and other changes of the same adapter. A refused change
 * (4xx) changes nothing.
 */
@ApplicationScoped
public class AdapterService {
    private final AdapterRepository adapters;
    private final VersionRepository versions;
    private final AliasService aliases;
    private final VersionReads reads;
    private final AdapterEvents events;

    public AdapterService(AdapterRepository adapters, VersionRepository versions, AliasService aliases,
                          VersionReads reads, AdapterEvents events) {
        this.adapters = adapters;
        this.versions = versions;
        this.aliases = aliases;
        this.reads = reads;
        this.events = events;
    }

    @Transactional
    public Adapter adapter(String tenant, String name) {
        return adapters.findByName(tenant, name).orElseThrow(() -> noAdapter(name));
    }

    @Transactional
    public AdapterVersion version(String tenant, String name, int version) {
        return version(adapter(tenant, name), version);
    }

    private AdapterVersion version(Adapter adapter, int version) {
        return versions.findVisible(adapter, version).orElseThrow(() -> noVersion(adapter.name, version));
    }

    private static ProblemException noVersion(String name, int version) {
        return new ProblemException(Response.Status.NOT_FOUND, "no version " + version + " of adapter '" + name + "'");
    }

    /** A version whose files may be served: 410 once archived, 409 when it failed registration. */
    @Transactional
    public AdapterVersion servable(String tenant, String name, int version) {
        AdapterVersion v = version(tenant, name, version);
        switch (v.status) {
            case ARCHIVED -> throw new ProblemException(Response.Status.GONE,
                    "version " + version + " of adapter '" + name + "' is archived; its files are no longer served");
            case FAILED_REGISTRATION -> throw new ProblemException(Response.Status.CONFLICT,
                    "version " + version + " of adapter '" + name + "' failed registration: " + v.failureReason);
            default -> {
                return v;
            }
        }
    }

    @Transactional
    public List<AdapterVersion> versions(String tenant, String name, int afterVersion, int limit) {
        return versions.page(adapter(tenant, name), afterVersion, limit);
    }

    /** A version with everything its detail view shows, read in one statement ({@link VersionReads}). */
    public record VersionDetail(AdapterVersion version, List<AdapterAlias> aliases, VersionLineage lineage,
                                List<VersionTag> tags) {
    }

    /** {@code version} and the versions it was warm-started from ({@link VersionReads#chain}). */
    public List<Integer> chain(String tenant, String name, int version) {
        return reads.chain(tenant, name, version);
    }

    public VersionDetail detail(String tenant, String name, int version) {
        VersionReads.Found found = reads.detail(tenant, name, version).orElseThrow(() -> noAdapter(name));
        if (found.detail() == null) {
            throw noVersion(name, version);
        }
        return found.detail();
    }

    /** The detail of the version {@code alias} points at; 404 when there is no such alias. */
    public VersionDetail resolve(String tenant, String name, String alias) {
        VersionReads.Found found = reads.resolve(tenant, name, alias).orElseThrow(() -> noAdapter(name));
        if (found.aliasVersion() == null) {
            throw new ProblemException(Response.Status.NOT_FOUND, "adapter '" + name + "' has no alias '" + alias + "'");
        }
        if (found.detail() == null) {
            throw noVersion(name, found.aliasVersion());
        }
        return found.detail();
    }

    @Transactional
    public List<AdapterAlias> aliases(Adapter adapter) {
        return aliases.all(adapter);
    }

    @Transactional
    public List<AliasMove> history(String tenant, String name, String alias) {
        return aliases.history(adapter(tenant, name), alias);
    }

    /** Moves (or creates) an alias by hand: promote, or roll back to an earlier version. Only ready versions. */
    @Transactional
    public void moveAlias(String tenant, String name, String alias, int version, String reason) {
        Adapter adapter = locked(tenant, name);
        AdapterVersion v = version(adapter, version);
        if (v.status != VersionStatus.READY) {
            throw new ProblemException(Response.Status.CONFLICT, "version " + version + " of adapter '" + name
                    + "' is " + v.status.wireName() + "; only ready versions can be aliased");
        }
        if (AdapterAlias.CHAMPION.equals(alias) && v.datasetDeletedAt != null) {
            throw new ProblemException(Response.Status.CONFLICT, "version " + version + " of adapter '" + name
                    + "' was trained on dataset " + v.datasetName + " v" + v.datasetVersion
                    + ", which was deleted; it cannot become the champion");
        }
        aliases.move(adapter, alias, v, AliasMove.API, reason);
    }

    @Transactional
    public void deleteAlias(String tenant, String name, String alias, String reason) {
        if (!aliases.delete(locked(tenant, name), alias, reason)) {
            throw new ProblemException(Response.Status.NOT_FOUND, "adapter '" + name + "' has no alias '" + alias + "'");
        }
    }

    @Transactional
    public void putTag(String tenant, String name, int version, String key, String value) {
        AdapterVersion v = version(locked(tenant, name), version);
        VersionTag tag = VersionTag.<VersionTag>find("versionId = ?1 and key = ?2", v.id, key).firstResultOptional()
                .orElseGet(VersionTag::new);
        tag.versionId = v.id;
        tag.key = key;
        tag.value = value;
        tag.createdAt = OffsetDateTime.now();
        tag.persist();
    }

    @Transactional
    public void deleteTag(String tenant, String name, int version, String key) {
        AdapterVersion v = version(locked(tenant, name), version);
        if (VersionTag.delete("versionId = ?1 and key = ?2", v.id, key) == 0) {
            throw new ProblemException(Response.Status.NOT_FOUND, "version " + version + " of adapter '" + name
                    + "' has no tag '" + key + "'");
        }
    }

    @Transactional
    public Adapter setPolicy(String tenant, String name, PromotionPolicy policy) {
        Adapter adapter = locked(tenant, name);
        adapter.setPolicy(policy);
        return adapter;
    }

    /**
     * Archives a version: metadata kept, files no longer served, aliases other than {@code champion} removed (with
     * history), {@code adapter.version-archived} announced. The champion cannot be archived: move the alias first;
     * nor can a version that ready versions are stacked on ({@code stack_on}): they are served on top of it. Idempotent.
     */
    @Transactional
    public void archive(String tenant, String name, int version) {
        Adapter adapter = locked(tenant, name);
        AdapterVersion v = version(adapter, version);
        if (v.status == VersionStatus.ARCHIVED) {
            return;
        }
        Optional<AdapterAlias> champion = aliases.find(adapter, AdapterAlias.CHAMPION);
        if (champion.isPresent() && champion.get().version == version) {
            throw new ProblemException(Response.Status.CONFLICT, "version " + version + " is the champion of adapter '"
                    + name + "'; move the champion alias before archiving it");
        }
        List<VersionLineage.Layer> above = versions.stackedOn(tenant, name, version);
        if (!above.isEmpty()) {
            throw new ProblemException(Response.Status.CONFLICT, "version " + version + " of adapter '" + name
                    + "' is stacked beneath " + above + ", which are served on top of it; archive those first");
        }
        for (AdapterAlias a : aliases.all(adapter)) {
            if (a.version == version) {
                aliases.delete(adapter, a.alias, "version " + version + " archived");
            }
        }
        v.status = VersionStatus.ARCHIVED;
        v.archivedAt = OffsetDateTime.now();
        if (v.id.equals(adapter.headlineVersionId)) {
            adapter.headlineVersionId = versions.latestReady(adapter).map(x -> x.id).orElse(null);
        }
        events.announce(new AdapterVersionArchived(tenant, name, version, v.archivedAt));
    }

    private Adapter locked(String tenant, String name) {
        return adapters.lock(tenant, name).orElseThrow(() -> noAdapter(name));
    }

    private static ProblemException noAdapter(String name) {
        return new ProblemException(Response.Status.NOT_FOUND, "no adapter '" + name + "'");
    }
}
