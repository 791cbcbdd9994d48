package io.peftflow.gateway.health;

import io.peftflow.gateway.routing.Routes;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import io.smallrye.health.api.Wellness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether each service in the route table answers its liveness probe, at {@code /q/health/well}. Not part of
 * readiness: a service that is down fails its own routes (502), and the gateway keeps serving the others.
 */
@Wellness
@ApplicationScoped
public class UpstreamsHealth implements AsyncHealthCheck {
    private static final long TIMEOUT_MS = 2000;

    private final Routes routes;
    private final HttpClient client;

    public UpstreamsHealth(Routes routes, Vertx vertx) {
        this.routes = routes;
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) TIMEOUT_MS));
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        List<Uni<Map.Entry<String, String>>> probes = new ArrayList<>();
        routes.upstreams().forEach((prefix, base) -> probes.add(probe(base).map(state -> Map.entry(prefix, state))));
        return Uni.join().all(probes).andFailFast().map(results -> {
            var response = HealthCheckResponse.named("upstream services");
            boolean up = true;
            for (var result : results) {
                response.withData(result.getKey(), result.getValue());
                up &= result.getValue().startsWith("UP");
            }
            return response.status(up).build();
        });
    }

    private Uni<String> probe(String base) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET)
                .setAbsoluteURI(base + "/q/health/live").setTimeout(TIMEOUT_MS);
        return Uni.createFrom().completionStage(() -> client.request(options)
                        .compose(request -> request.send())
                        .map(response -> response.statusCode() == 200 ? "UP " + base : "DOWN " + base + " (" + response.statusCode() + ")")
                        .toCompletionStage())
                .onFailure().recoverWithItem(failure -> "DOWN " + base + " (" + failure.getMessage() + ")");
    }
}
