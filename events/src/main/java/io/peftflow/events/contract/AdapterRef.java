package io.peftflow.events.contract;

/**
 * A tenant's registered adapter as a request names it: {@code adapter} (its champion), {@code adapter:alias} or
 * {@code adapter:N} (version N). inference-service's {@code model} and trainer-service's {@code stack_on} read it with
 * this one rule.
 *
 * @param alias   the alias asked for ({@code champion} when none is named), null when a version is
 * @param version the version asked for, or null
 */
public record AdapterRef(String adapter, String alias, Integer version) {
    public static final String CHAMPION = "champion";
    /** Layers one served stack may have ({@code a+b+c+d}, or a {@code stack_on} adapter with its frozen layers). */
    public static final int MAX_STACK = 4;

    /** Version {@code version} of {@code adapter}. */
    public static AdapterRef of(String adapter, int version) {
        return new AdapterRef(adapter, null, version);
    }

    public static AdapterRef champion(String adapter) {
        return new AdapterRef(adapter, CHAMPION, null);
    }

    /** Parses {@code ref}; a malformed one is an {@link InvalidValue} naming {@code field} and saying what is wrong. */
    public static AdapterRef parse(String field, String ref) {
        if (ref == null || ref.isBlank()) {
            throw new InvalidValue(field, field + " is required: an adapter name, name:alias or name:version");
        }
        int colon = ref.indexOf(':');
        String adapter = colon < 0 ? ref : ref.substring(0, colon);
        if (!ResourceName.valid(adapter)) {
            throw new InvalidValue(field, field + "'s adapter name must match " + ResourceName.PATTERN.pattern()
                    + ", got " + InvalidValue.quote(adapter));
        }
        if (colon < 0) {
            return champion(adapter);
        }
        String selector = ref.substring(colon + 1);
        if (selector.matches("[1-9][0-9]{0,8}")) {
            return of(adapter, Integer.parseInt(selector));
        }
        if (!ResourceName.valid(selector)) {
            throw new InvalidValue(field, field + "'s part after ':' must be a version number or an alias, got "
                    + InvalidValue.quote(selector));
        }
        return new AdapterRef(adapter, selector, null);
    }

    @Override
    public String toString() {
        return adapter + (version != null ? ":" + version : CHAMPION.equals(alias) ? "" : ":" + alias);
    }
}
