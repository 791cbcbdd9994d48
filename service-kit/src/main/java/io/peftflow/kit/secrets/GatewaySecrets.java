package io.peftflow.kit.secrets;

/** The names of the gateway-to-service secret's settings: the current one and, while it is rotated, the next. */
public final class GatewaySecrets {
    /** env {@code PEFTFLOW_GATEWAY_SECRET}. */
    public static final String CURRENT = "peftflow.gateway-secret";
    /** env {@code PEFTFLOW_GATEWAY_SECRET_NEXT}: accepted beside the current one during a rotation. */
    public static final String NEXT = "peftflow.gateway-secret-next";

    private GatewaySecrets() {
    }
}
