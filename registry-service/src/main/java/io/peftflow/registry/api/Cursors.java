package io.peftflow.registry.api;

import io.peftflow.kit.problem.ProblemException;
import io.peftflow.registry.catalog.AdapterListing;
import io.peftflow.registry.promotion.Metric;
import jakarta.ws.rs.core.Response;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque keyset cursors: the sort key and the last row's position, base64url-encoded. A cursor from another sort or a
 * tampered one is a 400.
 */
final class Cursors {
    private Cursors() {
    }

    /** Adapters: {@code <sort>\n<value>\n<name>}; value is empty when sorting by name or when the metric is null. */
    static String adapters(Metric sort, AdapterListing.Row last) {
        Double value = sort == null ? null : last.metric(sort);
        return encode((sort == null ? "name" : sort.wireName()) + "\n" + (value == null ? "" : value) + "\n"
                + last.name());
    }

    /** The position a cursor stands for, as a row holding only the sort value and the name. */
    static AdapterListing.Row adaptersAfter(String cursor, Metric sort) {
        if (cursor == null) {
            return null;
        }
        String[] parts = decode(cursor).split("\n", -1);
        String expected = sort == null ? "name" : sort.wireName();
        if (parts.length != 3 || !parts[0].equals(expected)) {
            throw bad("cursor belongs to another listing or sort (expected sort " + expected + ")");
        }
        Double value = null;
        if (!parts[1].isEmpty()) {
            try {
                value = Double.valueOf(parts[1]);
            } catch (NumberFormatException e) {
                throw bad("malformed cursor");
            }
        }
        Double[] metrics = new Double[Metric.values().length];
        if (sort != null) {
            metrics[sort.ordinal()] = value;
        }
        return new AdapterListing.Row(parts[2], 0, null, null, null, null, null, null, null, metrics[0], metrics[1],
                metrics[2], metrics[3], metrics[4], null);
    }

    private static String encode(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw bad("malformed cursor");
        }
    }

    private static ProblemException bad(String detail) {
        return new ProblemException(Response.Status.BAD_REQUEST, detail);
    }
}
