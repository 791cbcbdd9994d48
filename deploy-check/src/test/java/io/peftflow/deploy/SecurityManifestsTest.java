package io.peftflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.peftflow.events.SecretPolicy;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SECURITY.md's deployment controls, offline: no manifest carries a secret written in the repository, the gateway's
 * admin port is published nowhere, and work that scales with the queue has a bound.
 */
class SecurityManifestsTest {
    /** The gateway's admin API port (peftflow.gateway.admin-port). */
    private static final int ADMIN_PORT = 8090;

    @Test
    void theAdminPortIsPublishedNowhere() {
        List<String> exposed = new ArrayList<>();
        for (String overlay : Repository.overlays()) {
            for (JsonNode doc : Repository.rendered(overlay)) {
                String where = overlay + " " + doc.path("kind").asText() + "/" + doc.at("/metadata/name").asText();
                if (doc.path("kind").asText().equals("Service")) {
                    for (JsonNode port : doc.at("/spec/ports")) {
                        if (port.path("port").asInt() == ADMIN_PORT || port.path("targetPort").asText().equals(String.valueOf(ADMIN_PORT))) {
                            exposed.add(where);
                        }
                    }
                }
                doc.findValues("containerPort").forEach(p -> {
                    if (p.asInt() == ADMIN_PORT) {
                        exposed.add(where + " declares containerPort " + ADMIN_PORT);
                    }
                });
            }
        }
        Repository.composeConfig().path("services").fields().forEachRemaining(service ->
                service.getValue().path("ports").forEach(port -> {
                    if (port.toString().contains(String.valueOf(ADMIN_PORT))) {
                        exposed.add("compose " + service.getKey() + ": " + port);
                    }
                }));
        assertEquals(List.of(), exposed);
    }

    /**
     * No overlay or compose file carries a secret written in the repository: every Secret value the overlays render and
     * every secret-named environment value of compose is either generated on the machine that applies it or required
     * from the environment without a default.
     */
    @Test
    void noManifestCarriesARepositoryKnownSecret() {
        List<String> found = new ArrayList<>();
        for (String overlay : Repository.overlays()) {
            for (JsonNode doc : Repository.rendered(overlay)) {
                String where = overlay + " " + doc.path("kind").asText() + "/" + doc.at("/metadata/name").asText();
                if (doc.path("kind").asText().equals("Secret")) {
                    doc.path("stringData").properties().forEach(e -> {
                        if (SECRET_KEY.matcher(e.getKey()).find()) {
                            check(where + " " + e.getKey(), e.getValue().asText(), found);
                        }
                    });
                    doc.path("data").properties().forEach(e -> {
                        if (SECRET_KEY.matcher(e.getKey()).find()) {
                            check(where + " " + e.getKey(), new String(Base64.getDecoder().decode(e.getValue().asText()),
                                    StandardCharsets.UTF_8), found);
                        }
                    });
                }
                doc.findParents("name").forEach(env -> {
                    if (env.has("value") && SECRET_NAME.matcher(env.path("name").asText()).find()) {
                        check(where + " env " + env.path("name").asText(), env.path("value").asText(), found);
                    }
                });
            }
        }
        Repository.composeConfig().path("services").properties().forEach(service ->
                service.getValue().path("environment").properties().forEach(e -> {
                    if (SECRET_NAME.matcher(e.getKey()).find()) {
                        check("compose " + service.getKey() + " " + e.getKey(), e.getValue().asText(), found);
                    }
                }));
        assertEquals(List.of(), found);
    }

    /** Environment variables that hold a secret (an access key id is a name, not a secret). */
    private static final Pattern SECRET_NAME = Pattern.compile("PASSWORD|SECRET|(?<!ACCESS)_KEY$");
    /** The same for a Secret's keys (a username or an access key id is a name). */
    private static final Pattern SECRET_KEY = Pattern.compile("password|secret|(?<!access)-key$");

    private static void check(String where, String value, List<String> found) {
        if (!SecretPolicy.acceptable(value) && !value.equals("deploy-check-placeholder")) {
            found.add(where + (value.isBlank() ? " is empty" : " is a value written in the repository"));
        }
    }

    @Test
    void queueDrivenScalingIsBounded() {
        int scalers = 0;
        for (String overlay : Repository.overlays()) {
            for (JsonNode doc : Repository.rendered(overlay)) {
                if (doc.path("apiVersion").asText().startsWith(DeclaredModels.KEDA.group + "/")
                        && doc.path("kind").asText().startsWith("Scaled")) {
                    scalers++;
                    int max = doc.at("/spec/maxReplicaCount").asInt(-1);
                    assertTrue(max >= 1 && max <= 16, overlay + " " + doc.at("/metadata/name").asText()
                            + ": maxReplicaCount " + max + " (set it, at most 16)");
                }
            }
        }
        assertTrue(scalers > 0, "no KEDA scaler found");
    }
}
