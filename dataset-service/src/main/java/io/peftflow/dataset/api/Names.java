package io.peftflow.dataset.api;

import io.peftflow.dataset.Problems;

import java.util.regex.Pattern;

/** Tenant and dataset names: lower-case DNS-label-like, so they are safe in S3 keys and URLs. */
final class Names {
    static final String DEFAULT_TENANT = "default";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private Names() {
    }

    /** The {@code X-Tenant} header's tenant; absent means {@code default}. */
    static String tenant(String header) {
        if (header == null || header.isEmpty()) {
            return DEFAULT_TENANT;
        }
        return check("X-Tenant", header);
    }

    static String dataset(String name) {
        return check("dataset name", name);
    }

    private static String check(String what, String value) {
        if (!NAME.matcher(value).matches()) {
            throw Problems.badRequest(what + " must match " + NAME.pattern() + ", got '" + abbreviate(value) + "'");
        }
        return value;
    }

    private static String abbreviate(String s) {
        return s.length() <= 70 ? s : s.substring(0, 70) + "…";
    }
}
