package io.peftflow.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which secret values no deployment may run with: empty ones and every value written in this repository (local
 * defaults, examples, test values), since anyone can read them. Every service checks its secrets against it at start
 * outside the dev and test profiles, and deploy-check keeps this list complete (a secret-like literal in a manifest,
 * compose file or configuration that is not listed here fails the build).
 */
public final class SecretPolicy {
    /** Every secret value the repository contains. */
    public static final Set<String> REPOSITORY_VALUES = Set.of(
            "peftflow", "peftflow-secret", "peftflow-local-gateway-secret", "test-admin-key",
            "example-postgres-password-change-me", "example-s3-secret-key-change-me",
            "example-admin-key-change-me", "example-upstream-secret-change-me",
            "dataset-local", "trainer-local", "registry-local", "gateway-local", "inference-local",
            "dataset-kafka-local", "trainer-kafka-local", "registry-kafka-local", "inference-kafka-local",
            "admin-kafka-local");
    /** Profiles in which the local values are expected: a developer's machine and the tests. */
    public static final Set<String> LOCAL_PROFILES = Set.of("dev", "test");

    private SecretPolicy() {
    }

    /** Whether {@code value} may protect anything: set, and not one of the repository's values. */
    public static boolean acceptable(String value) {
        return value != null && !value.isBlank() && !REPOSITORY_VALUES.contains(value.strip());
    }

    /**
     * The problems with the named secrets (setting name → value, absent when unset), empty when none; values are never
     * part of a message. Nothing is a problem in a local profile.
     */
    public static List<String> problems(List<String> profiles, Map<String, Optional<String>> secrets) {
        List<String> problems = new ArrayList<>();
        if (profiles.stream().anyMatch(LOCAL_PROFILES::contains)) {
            return problems;
        }
        secrets.forEach((name, value) -> {
            if (value.isEmpty() || value.get().isBlank()) {
                problems.add(name + " is empty");
            } else if (!acceptable(value.get())) {
                problems.add(name + " is a value written in the peftflow repository; set a generated one");
            }
        });
        return problems;
    }
}
