package io.peftflow.events.contract;

import io.peftflow.events.PlatformHeaders;

/**
 * A tenant: the owner of datasets, jobs and adapters, named like a {@link ResourceName} (it is part of their S3 keys
 * and Kafka keys). The gateway sets it from the API key in {@link PlatformHeaders#TENANT}; without the header a
 * service acts for {@link #DEFAULT}.
 */
public record Tenant(String value) {
    public static final String DEFAULT = "default";

    public Tenant {
        check(PlatformHeaders.TENANT, value);
    }

    public static boolean valid(String value) {
        return ResourceName.valid(value);
    }

    /** {@code value}, or an {@link InvalidValue} naming {@code field}. */
    public static String check(String field, String value) {
        if (!valid(value)) {
            throw new InvalidValue(field, message(field, value));
        }
        return value;
    }

    public static String message(String field, String value) {
        return ResourceName.message(field, value);
    }

    /** The tenant a request's header names; absent or empty: {@link #DEFAULT}. */
    public static Tenant fromHeader(String header) {
        return new Tenant(header == null || header.isEmpty() ? DEFAULT : header);
    }

    @Override
    public String toString() {
        return value;
    }
}
