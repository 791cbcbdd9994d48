package io.peftflow.data;

import java.util.Objects;
import java.util.Set;

/** One turn of a conversation; every format is normalised into these. */
public record Turn(String role, String content) {
    public static final String SYSTEM = "system";
    public static final String USER = "user";
    public static final String ASSISTANT = "assistant";
    public static final Set<String> ROLES = Set.of(SYSTEM, USER, ASSISTANT);

    public Turn {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }

    /** Whether {@code role} is one of {@link #ROLES}; a switch, since this runs once per turn of every line. */
    public static boolean isRole(String role) {
        return switch (role) {
            case SYSTEM, USER, ASSISTANT -> true;
            default -> false;
        };
    }

    public boolean isAssistant() {
        return ASSISTANT.equals(role);
    }
}
