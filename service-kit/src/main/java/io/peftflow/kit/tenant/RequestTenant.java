package io.peftflow.kit.tenant;

import io.peftflow.events.contract.Tenant;
import jakarta.enterprise.context.RequestScoped;

/** The tenant of the request being served, resolved once from its header by {@link TenantFilter}. */
@RequestScoped
public class RequestTenant {
    private Tenant tenant;

    void resolve(Tenant tenant) {
        this.tenant = tenant;
    }

    /** The tenant's name; an {@link IllegalStateException} outside a REST request. */
    public String name() {
        if (tenant == null) {
            throw new IllegalStateException("no tenant: not inside a REST request");
        }
        return tenant.value();
    }
}
