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

    /**
     * {@code PUT .../policy}; absent fields take the metric's direction, 0 and true; no evaluation set (each
     * challenger's validation split) and no bootstrap.
     */
    record PolicyRequest(String metric, String direction, Double minImprovement, Boolean mustBeatMajority,
                         EvaluationSetRequest evaluationSet, BootstrapRequest bootstrap) {
    }

    /** The dataset version whose validation split every version of the adapter is measured on. */
    record EvaluationSetRequest(String dataset, Integer version) {
    }

    /** The paired bootstrap: absent fields take 1000 samples, 0.95 and seed 0. */
    record BootstrapRequest(Integer samples, Double confidence, Long seed) {
    }
}
