package io.peftflow.inference.registry;

import io.peftflow.kit.limits.TextLimits;
import io.peftflow.events.contract.ResourceName;

/**
 * A request's {@code model}: {@code adapter} (its champion), {@code adapter:alias} or {@code adapter:N} (version N).
 *
 * @param alias   the alias asked for ({@code champion} when none is named), null when a version is
 * @param version the version asked for, or null
 */
public record ModelName(String adapter, String alias, Integer version) {
    public static final String CHAMPION = "champion";

    /** Parses {@code model}; a malformed one is an {@link IllegalArgumentException} saying what is wrong. */
    public static ModelName parse(String model) {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model is required: an adapter name, name:alias or name:version");
        }
        int colon = model.indexOf(':');
        String adapter = colon < 0 ? model : model.substring(0, colon);
        if (!ResourceName.valid(adapter)) {
            throw new IllegalArgumentException("model's adapter name must match " + ResourceName.PATTERN.pattern() + ", got '"
                    + TextLimits.abbreviate(adapter) + "'");
        }
        if (colon < 0) {
            return new ModelName(adapter, CHAMPION, null);
        }
        String selector = model.substring(colon + 1);
        if (selector.matches("[1-9][0-9]{0,8}")) {
            return new ModelName(adapter, null, Integer.parseInt(selector));
        }
        if (!ResourceName.valid(selector)) {
            throw new IllegalArgumentException("model's part after ':' must be a version number or an alias, got '"
                    + TextLimits.abbreviate(selector) + "'");
        }
        return new ModelName(adapter, selector, null);
    }

    @Override
    public String toString() {
        return adapter + (version != null ? ":" + version : CHAMPION.equals(alias) ? "" : ":" + alias);
    }
}
