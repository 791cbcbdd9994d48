package io.peftflow.inference.registry;

import java.util.List;

/**
 * A ready version of a tenant's adapter as the registry describes it: what a request is answered with.
 *
 * @param files the version's stored files (name, s3 URI, SHA-256, size), as the registry lists them
 */
public record ServedVersion(String tenant, String adapter, int version, String method, String baseModel,
                            List<StoredFile> files) {
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
