package io.peftflow.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The gateway's configuration: the route table, the secret it shows the services, keys and their limits. */
@ConfigMapping(prefix = "peftflow.gateway")
public interface GatewayConfig {
    /** First path segment after {@code /v1} → base URL of the service that owns it. */
    Map<String, String> routes();

    @WithDefault("5s")
    Duration connectTimeout();

    /** Uploads and split downloads stream for a long time; only silence this long is an error. */
    @WithDefault("300s")
    Duration idleTimeout();

    /** Connections kept to each service: enough that 32+ concurrent clients never queue for one. */
    @WithDefault("128")
    int upstreamConnections();

    /** Sent to every service; they refuse requests without it (env {@code PEFTFLOW_GATEWAY_SECRET}). */
    String upstreamSecret();

    /**
     * The address clients call the gateway at, e.g. {@code https://api.example.com}: services' {@code Location}
     * headers are rewritten to it. Absent: the scheme and host the request came with (or, from a trusted proxy,
     * its {@code X-Forwarded-Proto} and {@code X-Forwarded-Host}).
     */
    Optional<String> publicUrl();

    /**
     * Peers whose {@code X-Forwarded-For} names the client (an ingress, a load balancer), as IP addresses; from any
     * other peer the header is ignored and the peer is the client.
     */
    Optional<List<String>> trustedProxies();

    /**
     * The admin API's own port, apart from the public one; compose and the Kubernetes Service do not publish it
     * (0: any free port, tests).
     */
    @WithDefault("8090")
    int adminPort();

    /** Where the admin port listens: loopback by default, so only a shell in the pod (exec, port-forward) reaches it. */
    @WithDefault("127.0.0.1")
    String adminHost();

    /** Requests with unknown keys one client address may send in a burst before it is throttled (429)... */
    @WithDefault("20")
    int unknownKeyBurst();

    /** ... and per minute after it. */
    @WithDefault("10")
    int unknownKeysPerMinute();

    /** The bootstrap key of the admin API (env {@code PEFTFLOW_GATEWAY_ADMIN_KEY}); unset, the admin API is off. */
    Optional<String> adminKey();

    /** How long a key looked up in the database is trusted before it is looked up again (revocations on other replicas). */
    @WithDefault("10s")
    Duration keyCacheTtl();

    /** Default rate limit of a new key: a token bucket of {@code burst} requests refilled at this rate. */
    @WithDefault("6000")
    int requestsPerMinute();

    @WithDefault("200")
    int burst();
}
