package io.peftflow.kit.names;

import io.peftflow.events.PlatformHeaders;
import io.peftflow.kit.problem.ProblemException;
import jakarta.ws.rs.core.Response;

import java.util.regex.Pattern;

/**
 * Tenant and resource names (datasets, adapters, aliases): lower-case DNS-label-like, so they are safe in S3 keys,
 * URLs and Kafka keys. A bad name in a request is a 400 problem.
 */
public final class Names {
    public static final String DEFAULT_TENANT = "default";
    /** The tenant-name rule of the platform's headers (the gateway checks tenants against it too). */
    public static final Pattern NAME = PlatformHeaders.TENANT_NAME;

    private Names() {
    }

    /** The {@code X-Tenant} header's tenant; absent means {@code default}. */
    public static String tenant(String header) {
        if (header == null || header.isEmpty()) {
            return DEFAULT_TENANT;
        }
        return check("X-Tenant", header);
    }

    public static boolean valid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** {@code value}, or a 400 saying which {@code what} does not match the pattern. */
    public static String check(String what, String value) {
        if (!valid(value)) {
            throw new ProblemException(Response.Status.BAD_REQUEST, what + " must match " + NAME.pattern() + ", got '"
                    + abbreviate(String.valueOf(value)) + "'");
        }
        return value;
    }

    private static String abbreviate(String s) {
        return s.length() <= 70 ? s : s.substring(0, 70) + "…";
    }
}
