package io.peftflow.gateway;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What stands behind the gateway in its tests: the real dataset-service (its built jar, run as in production,
 * against the stack of scripts/stack.sh and its own *_test database, requiring the gateway's secret), an echo
 * server on route {@code echo} for the proxy's mechanics, and route {@code down} to a closed port.
 */
public class TestStack implements QuarkusTestResourceLifecycleManager {
    /** The secret this run's gateway and services share. */
    static final String SECRET = "test-secret-" + UUID.randomUUID();
    static String datasetServiceUrl;

    private final List<Process> services = new ArrayList<>();
    private EchoServer echo;

    @Override
    public Map<String, String> start() {
        try {
            echo = new EchoServer();
            Map<String, String> config = new HashMap<>();
            config.put("peftflow.gateway.upstream-secret", SECRET);
            config.put("peftflow.gateway.routes.echo", echo.url());
            config.put("peftflow.gateway.routes.down", "http://127.0.0.1:" + freePort());
            datasetServiceUrl = startService("dataset-service", "dataset_test");
            config.put("peftflow.gateway.routes.datasets", datasetServiceUrl);
            // Not built yet: their routes point at closed ports, so the console hides their pages.
            config.put("peftflow.gateway.routes.fine-tuning", "http://127.0.0.1:" + freePort());
            config.put("peftflow.gateway.routes.adapters", "http://127.0.0.1:" + freePort());
            return config;
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("the services behind the gateway did not start: " + e.getMessage(), e);
        }
    }

    /** Starts a service's jar on a free port and waits until it is ready; returns its base URL. */
    private String startService(String module, String database) throws Exception {
        Path jar = Path.of("..", module, "target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().normalize();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " missing: build " + module + " first (the reactor does)");
        }
        int port = freePort();
        String pg = System.getenv().getOrDefault("PEFTFLOW_PG_PORT", "15432");
        Path log = Path.of("target", module + ".log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder("java", "-Xmx384m", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:" + pg + "/" + database,
                "-Dquarkus.flyway.clean-disabled=false", "-Dquarkus.flyway.clean-at-start=true",
                "-Dpeftflow.gateway-secret=" + SECRET,
                "-Dai.djl.offline=true",
                "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        services.add(process);
        String url = "http://127.0.0.1:" + port;
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(module + " exited; see " + log);
            }
            if (status(url + "/q/health/ready") == 200) {
                return url;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(module + " not ready after 120 s; see " + log);
    }

    static int status(String url) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(5000);
            return connection.getResponseCode();
        } catch (IOException e) {
            return -1;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void stop() {
        for (Process process : services) {
            process.destroy();
        }
        for (Process process : services) {
            try {
                if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (echo != null) {
            echo.close();
        }
    }
}
