package io.peftflow.dataset.catalog;

import io.peftflow.kit.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.Response;

import java.time.OffsetDateTime;
import java.util.List;

/** Reading and soft-deleting a tenant's datasets and versions; a tenant never sees another's. */
@ApplicationScoped
public class DatasetService {
    private final DatasetRepository datasets;
    private final VersionRepository versions;
    private final VersionReads reads;
    private final Event<VersionDeleted> deletions;

    public DatasetService(DatasetRepository datasets, VersionRepository versions, VersionReads reads,
                          Event<VersionDeleted> deletions) {
        this.datasets = datasets;
        this.versions = versions;
        this.reads = reads;
        this.deletions = deletions;
    }

    @Transactional
    public List<DatasetRepository.Listing> list(String tenant, String afterName, int limit) {
        return datasets.listVisible(tenant, afterName, limit);
    }

    /** The newest visible version and the number of visible versions; 404 when the dataset has none. */
    public VersionReads.Latest latest(String tenant, String name) {
        return reads.latest(tenant, name).orElseThrow(() -> noDataset(name));
    }

    /** A page of the visible versions after {@code afterVersion}, oldest first; 404 when the dataset has none. */
    public List<DatasetVersion> versions(String tenant, String name, int afterVersion, int limit) {
        List<DatasetVersion> list = reads.page(tenant, name, afterVersion, limit);
        if (list.isEmpty() && (afterVersion == 0 || reads.latest(tenant, name).isEmpty())) {
            throw noDataset(name);
        }
        return list;
    }

    private static ProblemException noDataset(String name) {
        return new ProblemException(Response.Status.NOT_FOUND, "no dataset '" + name + "'");
    }

    public DatasetVersion version(String tenant, String name, int version) {
        return reads.visible(tenant, name, version).orElseThrow(() -> noVersion(name, version));
    }

    private static ProblemException noVersion(String name, int version) {
        return new ProblemException(Response.Status.NOT_FOUND, "no version " + version + " of dataset '" + name + "'");
    }

    /** A version whose objects may be served: 410 once deleted. */
    public DatasetVersion servable(String tenant, String name, int version) {
        DatasetVersion v = version(tenant, name, version);
        if (v.status == VersionStatus.DELETED) {
            throw new ProblemException(Response.Status.GONE, "version " + version + " of dataset '" + name + "' was deleted");
        }
        return v;
    }

    /**
     * Soft delete: the metadata stays (trained adapters refer to it), the splits are no longer served, and
     * {@link VersionDeleted} is fired in this transaction (its observer writes the outbox event). Idempotent: a
     * second delete changes and announces nothing.
     */
    @Transactional
    public void delete(String tenant, String name, int version) {
        DatasetVersion v = versions.findVisible(tenant, name, version).orElseThrow(() -> noVersion(name, version));
        if (v.status != VersionStatus.DELETED) {
            v.status = VersionStatus.DELETED;
            v.deletedAt = OffsetDateTime.now();
            deletions.fire(new VersionDeleted(v));
        }
    }
}
