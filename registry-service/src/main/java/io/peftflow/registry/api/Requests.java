package io.peftflow.registry.api;

/** The JSON bodies the API accepts. */
final class Requests {
    private Requests() {
    }

    /** {@code PUT .../aliases/{alias}}. */
    record AliasRequest(Integer version, String reason) {
    }

    /** {@code PUT .../tags/{key}}. */
    record TagRequest(String value) {
    }

    /** {@code PUT .../policy}; absent fields take the metric's direction, 0 and true. */
    record PolicyRequest(String metric, String direction, Double minImprovement, Boolean mustBeatMajority) {
    }
}
