package io.peftflow.inference.registry;

import io.peftflow.events.contract.AdapterRef;

import java.util.List;

/**
 * A ready version of a tenant's adapter as the registry describes it: what a request is answered with.
 *
 * @param files     the version's stored files (name, s3 URI, SHA-256, size), as the registry lists them
 * @param stackedOn the versions it was trained on top of, frozen, bottom first ({@code stack_on}): it is served
 *                  on them; empty for an adapter of the bare base model
 */
public record ServedVersion(String tenant, String adapter, int version, String method, String baseModel,
                            List<StoredFile> files, List<AdapterRef> stackedOn) {
    public ServedVersion {
        stackedOn = List.copyOf(stackedOn);
    }

    /** A version trained on the bare base model. */
    public ServedVersion(String tenant, String adapter, int version, String method, String baseModel,
                         List<StoredFile> files) {
        this(tenant, adapter, version, method, baseModel, files, List.of());
    }

    public record StoredFile(String name, String uri, String sha256, long bytes) {
    }

    /** Unique per tenant, adapter and version: the cache key of its loaded weights. */
    public String key() {
        return tenant + "/" + adapter + "/v" + version;
    }

    /** {@code adapter:N}, the name responses report as the model that answered. */
    public String modelId() {
        return adapter + ":" + version;
    }
}
